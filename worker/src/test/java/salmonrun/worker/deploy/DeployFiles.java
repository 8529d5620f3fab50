package salmonrun.worker.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root (surefire passes it as salmon.repo.root) for tests reading deploy/. */
public final class DeployFiles {
    private DeployFiles() {
    }

    public static Path root() {
        String prop = System.getProperty("salmon.repo.root");
        Path root = prop != null ? Path.of(prop) : Path.of("..").toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("deploy"))) {
            throw new IllegalStateException("no deploy/ directory under " + root
                    + " (run through Maven, which sets -Dsalmon.repo.root)");
        }
        return root;
    }
}
