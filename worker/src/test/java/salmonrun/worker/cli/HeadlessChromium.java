package salmonrun.worker.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Debian's chromium run headless against local files, for checking that generated reports render. */
final class HeadlessChromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    private final Path binary;
    private final Path profile;

    private HeadlessChromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** The browser on PATH, if installed. */
    static Optional<HeadlessChromium> find(Path profileDir) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessChromium(candidate, profileDir));
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM after loading and running the page's scripts. */
    String dumpDom(Path html) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", html.toUri().toString()), null);
    }

    /** A PNG screenshot of the page at the given window size. */
    void screenshot(Path html, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--window-size=" + width + "," + height, "--screenshot=" + png, html.toUri().toString()), png);
    }

    private String run(List<String> extra, Path expectedFile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile));
        cmd.addAll(extra);
        Path stdout = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path stderr = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                throw new IllegalStateException("chromium did not finish within 90 s: " + cmd);
            }
            if (p.exitValue() != 0 || (expectedFile != null && !Files.exists(expectedFile))) {
                throw new IllegalStateException("chromium failed (exit " + p.exitValue() + "): "
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            // stop only what we started: this process and its helper processes
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
