package salmonrun.activities.lineage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The lineage database: a HikariCP pool over PostgreSQL whose schema Flyway keeps current.
 * {@link #connect} creates the database if it is missing and applies pending migrations,
 * so a new database needs no manual step.
 */
public final class Database implements AutoCloseable {
    private final DbConfig config;
    private final HikariDataSource pool;

    private Database(DbConfig config, HikariDataSource pool) {
        this.config = config;
        this.pool = pool;
    }

    /** Connects, creating the database if needed, and applies pending migrations. */
    public static Database connect(DbConfig config) {
        Database db = open(config);
        try {
            db.migrate();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Connects without migrating (for `salmon db info`). */
    public static Database open(DbConfig config) {
        createIfMissing(config);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.url());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(8);
        // minimumIdle 0 made every first getConnection wait ~1.5 s in HikariCP 6 (measured); one idle
        // connection is cheap and makes short CLI commands answer in a fraction of a second.
        hc.setMinimumIdle(1);
        hc.setPoolName("salmon-lineage");
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(-1);
        return new Database(config, new HikariDataSource(hc));
    }

    /** Applies pending Flyway migrations from classpath:db/migration (idempotent). */
    public MigrateResult migrate() {
        return flyway().migrate();
    }

    /** Flyway configured for this database, for `salmon db info` and `salmon db migrate`. */
    public Flyway flyway() {
        return Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load();
    }

    public DataSource dataSource() {
        return pool;
    }

    public DbConfig config() {
        return config;
    }

    /** A pooled connection; the caller closes it. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void createIfMissing(DbConfig config) {
        String name = config.databaseName();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be a plain identifier: " + name);
        }
        DbConfig admin = config.withDatabase("postgres");
        try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            try {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException raced) {
                if (!"42P04".equals(raced.getSQLState())) { // duplicate_database: another process won
                    throw raced;
                }
            }
        } catch (SQLException e) {
            throw new DatabaseUnreachableException(config, e);
        }
    }
}
