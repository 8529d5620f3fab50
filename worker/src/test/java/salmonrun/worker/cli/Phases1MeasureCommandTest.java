package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `salmon phases1-measure`: registered, documented, and refusing a base that is not a checkpoint directory. */
class Phases1MeasureCommandTest {
    @RegisterExtension
    static final CliDatabase CLI = new CliDatabase();

    @Test
    void helpListsTheOptions() {
        CliRunner.Result r = CliRunner.run("phases1-measure", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("--base") && r.out().contains("--judge-with-base"), r.out());
    }

    @Test
    void aMissingBaseDirectoryFailsWithAClearMessage(@TempDir Path tmp) {
        CLI.useEnvironment();
        Path missing = tmp.resolve("no-such-base");
        CliRunner.Result r = CliRunner.run("phases1-measure", "--base", missing.toString());
        assertEquals(CliContext.FAILED, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--base " + missing + " is not a checkpoint directory"), r.toString());
    }
}
