package salmonrun.worker.cli;

import java.sql.SQLException;
import java.util.Map;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.DatabaseUnreachableException;
import salmonrun.activities.lineage.DbConfig;

/**
 * Opens the lineage database for the principles commands. SALMON_DB_URL/USER/PASSWORD choose it;
 * the system properties salmon.db.url/user/password override them (for in-process use and tests).
 * A stand-in until the shared CLI context lands; the rule is the same.
 */
final class PrinciplesDb {
    /** Exit code when the database cannot be reached. */
    static final int UNREACHABLE = 2;

    private PrinciplesDb() {}

    /** The database to use: system properties first, then the environment, then local defaults. */
    static DbConfig config() {
        Map<String, String> env = System.getenv();
        return new DbConfig(
                System.getProperty("salmon.db.url", env.getOrDefault("SALMON_DB_URL", DbConfig.DEFAULT_URL)),
                System.getProperty("salmon.db.user", env.getOrDefault("SALMON_DB_USER", DbConfig.DEFAULT_USER)),
                System.getProperty("salmon.db.password", env.getOrDefault("SALMON_DB_PASSWORD", "")));
    }

    /** Connects and migrates, or throws {@link CliFailure} with exit code 2 when the database is unreachable. */
    static Database open() {
        DbConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new CliFailure(UNREACHABLE, e.getMessage());
        }
        try {
            return Database.connect(config);
        } catch (DatabaseUnreachableException e) {
            throw new CliFailure(UNREACHABLE, e.getMessage());
        } catch (RuntimeException e) {
            if (connectionFailure(e)) {
                throw new CliFailure(UNREACHABLE, "cannot reach the lineage database at " + config.url() + ": "
                        + e.getMessage() + " (set SALMON_DB_URL, SALMON_DB_USER and SALMON_DB_PASSWORD)");
            }
            throw e;
        }
    }

    /** SQLState class 08 is "connection exception"; 28 is "invalid authorization". */
    private static boolean connectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("28"))) {
                return true;
            }
        }
        return false;
    }
}
