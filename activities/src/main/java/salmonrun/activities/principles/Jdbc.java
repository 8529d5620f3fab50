package salmonrun.activities.principles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import salmonrun.activities.lineage.Database;

/** Small JDBC helpers: run work on one pooled connection, or in one transaction that rolls back on failure. */
final class Jdbc {
    private Jdbc() {}

    /** Work that uses a connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Binds statement parameters. */
    interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    static <T> T withConnection(Database db, Work<T> work) {
        try (Connection c = db.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("lineage database error: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction: commits on success, rolls back on any failure. */
    static <T> T inTransaction(Database db, Work<T> work) {
        try (Connection c = db.connection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("lineage database error: " + e.getMessage(), e);
        }
    }
}
