package salmonrun.worker.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import salmonrun.worker.SalmonCli;
import salmonrun.workflows.common.PhaseNames;

/** `salmon run SPEC.json` starts and follows a run to its result; `salmon status RUN` reports it; bad specs exit 2. */
class RunCommandTest {
    static Rehearsal world;
    static LocalTemporal temporal;

    @BeforeAll
    static void start() throws Exception {
        world = Rehearsal.create();
        temporal = new LocalTemporal(world);
    }

    @AfterAll
    static void stop() throws Exception {
        if (temporal != null) {
            temporal.close();
        }
        if (world != null) {
            world.close();
        }
    }

    record Outcome(int exit, String out, String err) {}

    static Outcome salmon(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new SalmonCli()).execute(args);
            return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void runFollowsToTheResultAndStatusReportsIt(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("spec.json");
        var json = world.spec("cli");
        json.putArray("phases").add(PhaseNames.SELF_ALIGN);
        Files.writeString(spec, json.toString());
        String address = "127.0.0.1:" + temporal.port;
        Outcome run = salmon("run", spec.toString(), "--id", "cli-run-1", "--address", address);
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("started SalmonRun cli-run-1"), run.out());
        // The display polls the workflow's state: on a fast machine the phase may finish between
        // two polls, so either its running or its completed line must have been shown.
        assertTrue(run.out().contains("running [self_align]") || run.out().contains("completed done=self_align"),
                "progress lines: " + run.out());
        assertTrue(run.out().contains("\"sft_model\""), "the result: " + run.out());

        Outcome status = salmon("status", "cli-run-1", "--address", address);
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("WORKFLOW_EXECUTION_STATUS_COMPLETED"), status.out());
        assertTrue(status.out().contains("completed done=self_align"), status.out());
    }

    @Test
    void unknownFieldIsRejectedBeforeStarting(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("bad.json");
        var json = world.spec("cli-bad");
        json.put("principalSet", 1);
        Files.writeString(spec, json.toString());
        Outcome run = salmon("run", spec.toString(), "--address", "127.0.0.1:" + temporal.port);
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("unknown field 'principalSet'"), run.err());
    }
}
