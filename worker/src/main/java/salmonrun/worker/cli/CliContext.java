package salmonrun.worker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Model.CommandSpec;
import salmonrun.activities.lineage.ArtifactCorruptException;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.AuditLog;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.DatabaseUnreachableException;
import salmonrun.activities.lineage.DbConfig;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.lineage.NoSuchArtifactException;
import salmonrun.activities.lineage.StoreObjectMissingException;

/**
 * Shared plumbing for `salmon` subcommands: the lineage database and artifact store opened from
 * the environment, JSON printing, and one mapping from failures to exit codes and one-line
 * messages (operators get no stack traces; SALMON_DEBUG=1 shows them).
 *
 * <p>Exit codes: {@value #OK} success; {@value #FAILED} the command ran and found a problem
 * (bad input, not found, corrupt artifact, broken audit chain); {@value #UNAVAILABLE} the
 * environment is not usable (database unreachable, bad configuration).
 *
 * <p>Typical use in a picocli command:
 * <pre>{@code
 * public Integer call() {
 *     return CliContext.run(spec, ctx -> { ...; return CliContext.OK; });
 * }
 * }</pre>
 */
public final class CliContext implements AutoCloseable {
    /** Success. */
    public static final int OK = 0;
    /** The command ran and found a problem (bad input, not found, corrupt data, broken chain). */
    public static final int FAILED = 1;
    /** The environment is unusable: database unreachable or misconfigured. */
    public static final int UNAVAILABLE = 2;

    /** JSON for machine output: records and java.time values, pretty-printed, ISO timestamps. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static volatile Map<String, String> environment = System.getenv();

    private final Database db;
    private final ArtifactStore store;

    private CliContext(Database db, ArtifactStore store) {
        this.db = db;
        this.store = store;
    }

    /** A command body that receives an opened context and returns an exit code. */
    @FunctionalInterface
    public interface Body {
        int run(CliContext ctx) throws Exception;
    }

    /** Opens the database (creating it and applying pending migrations) and store, runs the body, maps failures. */
    public static int run(CommandSpec spec, Body body) {
        return run(spec, true, body);
    }

    /** As {@link #run(CommandSpec, Body)}; migrate=false opens the database without applying migrations. */
    public static int run(CommandSpec spec, boolean migrate, Body body) {
        PrintWriter err = spec.commandLine().getErr();
        try (CliContext ctx = open(migrate)) {
            return body.run(ctx);
        } catch (Exception e) {
            return fail(err, e);
        } finally {
            spec.commandLine().getOut().flush();
            err.flush();
        }
    }

    /** Opens the lineage database (applying pending migrations) and artifact store from the environment. */
    public static CliContext open() {
        return open(true);
    }

    /** Opens from the environment; migrate=false leaves pending migrations pending (for `salmon db info`). */
    public static CliContext open(boolean migrate) {
        DbConfig config = DbConfig.fromEnv(environment);
        Database db = migrate ? Database.connect(config) : Database.open(config);
        return new CliContext(db, ArtifactStore.fromEnv(environment));
    }

    /** Prints the failure as one line on err and returns its exit code. */
    public static int fail(PrintWriter err, Throwable e) {
        int code = exitCode(e);
        err.println("salmon: " + (expected(e) ? e.getMessage()
                : "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + " (set SALMON_DEBUG=1 for the stack trace)"));
        if ("1".equals(environment.get("SALMON_DEBUG"))) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The exit code a failure maps to: UNAVAILABLE for database/migration trouble, FAILED otherwise. */
    public static int exitCode(Throwable e) {
        if (e instanceof DatabaseUnreachableException || e instanceof org.flywaydb.core.api.FlywayException) {
            return UNAVAILABLE;
        }
        return FAILED;
    }

    /** Whether the failure's message is meant for operators (otherwise it is reported as an internal error). */
    private static boolean expected(Throwable e) {
        return e instanceof DatabaseUnreachableException || e instanceof org.flywaydb.core.api.FlywayException
                || e instanceof IllegalArgumentException || e instanceof NoSuchArtifactException
                || e instanceof ArtifactCorruptException || e instanceof StoreObjectMissingException
                || e instanceof IllegalStateException || e instanceof UncheckedIOException
                || e instanceof salmonrun.activities.lineage.LineageException;
    }

    /** Pretty-prints any record, map or JsonNode as JSON followed by a newline. */
    public static void printJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getName(), e);
        }
    }

    /** The environment commands read (the process environment unless a test replaced it). */
    public static Map<String, String> environment() {
        return environment;
    }

    /** Replaces the environment commands read; for in-process tests of commands. Null restores the process environment. */
    public static void useEnvironment(Map<String, String> env) {
        environment = env == null ? System.getenv() : Map.copyOf(env);
    }

    /** The lineage database. */
    public Database db() {
        return db;
    }

    /** The artifact store. */
    public ArtifactStore store() {
        return store;
    }

    /** A repository over this context's database and store. */
    public LineageRepository lineage() {
        return new LineageRepository(db, store);
    }

    /** The audit log of this context's database. */
    public AuditLog audit() {
        return new AuditLog(db);
    }

    @Override
    public void close() {
        Objects.requireNonNull(db).close();
    }
}
