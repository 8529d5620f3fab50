package salmonrun.activities.lineage;

import java.sql.SQLException;

/** The lineage database could not be reached; the message says what was tried and how to change it. */
public final class DatabaseUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseUnreachableException(DbConfig config, SQLException cause) {
        super("cannot reach the lineage database at " + config.url() + " as user '" + config.user()
                + "': " + cause.getMessage()
                + " (set SALMON_DB_URL, SALMON_DB_USER and SALMON_DB_PASSWORD to point elsewhere)", cause);
    }
}
