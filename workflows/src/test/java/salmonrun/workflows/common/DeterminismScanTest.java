package salmonrun.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Workflow code must replay identically, so the workflows module may not touch files, clocks, randomness or
 * threads directly (the build's enforcer bans the libraries; this scan bans the JDK calls).
 */
class DeterminismScanTest {
    private static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("\\bjava\\.io\\."),
            Pattern.compile("\\bjava\\.nio\\.file\\b"),
            Pattern.compile("\\bjava\\.net\\."),
            Pattern.compile("\\bjava\\.sql\\."),
            Pattern.compile("System\\s*\\.\\s*currentTimeMillis"),
            Pattern.compile("System\\s*\\.\\s*nanoTime"),
            Pattern.compile("System\\s*\\.\\s*getenv"),
            Pattern.compile("Instant\\s*\\.\\s*now"),
            Pattern.compile("LocalDateTime\\s*\\.\\s*now"),
            Pattern.compile("new\\s+Random\\b"),
            Pattern.compile("ThreadLocalRandom"),
            Pattern.compile("Math\\s*\\.\\s*random"),
            Pattern.compile("Thread\\s*\\.\\s*sleep"),
            Pattern.compile("new\\s+Thread\\b"),
            Pattern.compile("UUID\\s*\\.\\s*randomUUID"),
            Pattern.compile("\\bExecutors\\b"),
            Pattern.compile("\\bai\\.djl\\b"),
            Pattern.compile("\\bsalmonrun\\.activities\\b"));

    static List<String> violations(Path sourceRoot) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = stripComment(lines.get(i));
                    for (Pattern p : FORBIDDEN) {
                        if (p.matcher(code).find()) {
                            found.add(sourceRoot.relativize(f) + ":" + (i + 1) + ": " + p.pattern() + ": "
                                    + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        return found;
    }

    private static String stripComment(String line) {
        String t = line.trim();
        if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
            return "";
        }
        int c = line.indexOf("//");
        return c >= 0 ? line.substring(0, c) : line;
    }

    @Test
    void workflowSourcesUseNoNondeterministicApis() throws IOException {
        Path main = Path.of("src/main/java");
        assertTrue(Files.isDirectory(main), "run from the workflows module directory");
        List<String> found = violations(main);
        assertEquals(List.of(), found, "non-deterministic or forbidden APIs in workflows/:\n" + String.join("\n", found));
    }

    @Test
    void scanCatchesEachForbiddenCall(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Bad.java"), String.join("\n",
                "import java.io.File;",
                "class Bad { long t = System.currentTimeMillis(); long n = System.nanoTime();",
                "  Object i = java.time.Instant.now(); Object r = new Random(1);",
                "  void s() throws Exception { Thread.sleep(1); } Object u = java.util.UUID.randomUUID();",
                "  // System.currentTimeMillis() in a comment is fine",
                "}"));
        List<String> found = violations(dir);
        assertEquals(7, found.size(), String.join("\n", found));
    }
}
