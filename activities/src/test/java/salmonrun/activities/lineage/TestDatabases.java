package salmonrun.activities.lineage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Fresh, migrated PostgreSQL databases for tests: one per test class, dropped afterwards. */
public final class TestDatabases {
    private TestDatabases() {}

    /** The server tests use: SALMON_TEST_DB_URL or the local PostgreSQL. */
    public static DbConfig server() {
        String url = System.getenv().getOrDefault("SALMON_TEST_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/postgres");
        return new DbConfig(url, System.getenv().getOrDefault("SALMON_TEST_DB_USER", "postgres"),
                System.getenv().getOrDefault("SALMON_TEST_DB_PASSWORD", ""));
    }

    /** Creates and migrates a database with a unique name. */
    public static Database createFresh() {
        String name = "salmon_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return Database.connect(server().withDatabase(name));
    }

    /** Closes the pool and drops the database. */
    public static void drop(Database db) {
        String name = db.config().databaseName();
        db.close();
        DbConfig admin = db.config().withDatabase("postgres");
        try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test database " + name, e);
        }
    }
}
