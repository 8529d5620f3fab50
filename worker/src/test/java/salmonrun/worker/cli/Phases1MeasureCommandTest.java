package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.TestDatabases;

/** `salmon phases1-measure`: registered, documented, and refusing a base that is not a checkpoint directory. */
class Phases1MeasureCommandTest {
    static Database db;
    static Path store;

    @BeforeAll
    static void createDatabase(@TempDir Path tmp) {
        db = TestDatabases.createFresh();
        store = tmp.resolve("store");
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabases.drop(db);
    }

    @AfterEach
    void restoreEnvironment() {
        CliContext.useEnvironment(null);
    }

    @Test
    void helpListsTheOptions() {
        CliRunner.Result r = CliRunner.run("phases1-measure", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("--base") && r.out().contains("--judge-with-base"), r.out());
    }

    @Test
    void aMissingBaseDirectoryFailsWithAClearMessage(@TempDir Path tmp) {
        CliContext.useEnvironment(CliRunner.environment(db, store));
        Path missing = tmp.resolve("no-such-base");
        CliRunner.Result r = CliRunner.run("phases1-measure", "--base", missing.toString());
        assertEquals(CliContext.FAILED, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--base " + missing + " is not a checkpoint directory"), r.toString());
    }
}
