package salmonrun.activities.lineage;

import java.nio.file.Path;

/** A stored object's bytes no longer match its sha256 (modified, truncated or missing parts). */
public final class ArtifactCorruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public ArtifactCorruptException(Path file, String expectedSha256, String problem) {
        super("artifact store object " + expectedSha256 + " is corrupt: " + file + ": " + problem);
        this.file = file;
    }

    /** The file (or directory) that failed the check. */
    public Path file() {
        return file;
    }
}
