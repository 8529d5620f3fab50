package salmonrun.activities.lineage;

import java.sql.SQLException;

/** A lineage database operation failed; the message says which operation and why. */
public final class LineageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LineageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps a JDBC failure: connection problems become DatabaseUnreachableException, the rest name the operation. */
    public static RuntimeException of(Database db, String operation, SQLException e) {
        String state = e.getSQLState();
        if (e instanceof java.sql.SQLTransientConnectionException || (state != null && state.startsWith("08"))) {
            return new DatabaseUnreachableException(db.config(), e);
        }
        return new LineageException(operation + " failed: " + e.getMessage(), e);
    }
}
