package salmonrun.activities.lineage;

import java.nio.file.Path;

/** The artifact store holds no object with the requested sha256. */
public final class StoreObjectMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreObjectMissingException(String sha256, Path root) {
        super("artifact store " + root + " holds no object " + sha256
                + " (was it put on another machine, or is SALMON_STORE pointing elsewhere?)");
    }
}
