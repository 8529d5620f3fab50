package salmonrun.activities.lineage;

import java.util.Map;

/** Where the lineage database is: JDBC URL, user and password, read from SALMON_DB_* variables. */
public record DbConfig(String url, String user, String password) {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/salmon";
    public static final String DEFAULT_USER = "postgres";

    public DbConfig {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "SALMON_DB_URL must be a jdbc:postgresql: URL, got: " + url);
        }
        user = user == null ? DEFAULT_USER : user;
        password = password == null ? "" : password;
    }

    /** Reads SALMON_DB_URL, SALMON_DB_USER and SALMON_DB_PASSWORD, with local defaults. */
    public static DbConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    /** Reads the SALMON_DB_* entries of the given environment, with local defaults. */
    public static DbConfig fromEnv(Map<String, String> env) {
        return new DbConfig(
                env.getOrDefault("SALMON_DB_URL", DEFAULT_URL),
                env.getOrDefault("SALMON_DB_USER", DEFAULT_USER),
                env.getOrDefault("SALMON_DB_PASSWORD", ""));
    }

    /** The same server and credentials, another database name. */
    public DbConfig withDatabase(String database) {
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        String suffix = query < 0 ? "" : url.substring(query);
        return new DbConfig(url.substring(0, slash + 1) + database + suffix, user, password);
    }

    /** The database name at the end of the URL. */
    public String databaseName() {
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return query < 0 ? url.substring(slash + 1) : url.substring(slash + 1, query);
    }
}
