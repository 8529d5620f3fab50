package salmonrun.worker.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.TestDatabases;

/**
 * A fresh PostgreSQL database and artifact-store directory for one CLI test class (register as a static
 * {@code @RegisterExtension} field); the CLI environment is reset after every test and the database dropped at the end.
 */
final class CliDatabase implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private Database db;
    private Path tmp;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        db = TestDatabases.createFresh();
        tmp = Files.createTempDirectory("salmon-cli-test");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        CliContext.useEnvironment(null);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        TestDatabases.drop(db);
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    Database db() {
        return db;
    }

    /** The artifact-store root (created by the CLI on first use). */
    Path store() {
        return tmp.resolve("store");
    }

    /** Points the CLI at this database and store. */
    void useEnvironment() {
        useEnvironment(Map.of());
    }

    /** Points the CLI at this database and store, with {@code extra} variables besides. */
    void useEnvironment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(CliRunner.environment(db, store()));
        env.putAll(extra);
        CliContext.useEnvironment(env);
    }
}
