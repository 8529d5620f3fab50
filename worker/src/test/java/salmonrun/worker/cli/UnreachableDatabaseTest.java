package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every database command says what it tried and exits 2 without a stack trace when PostgreSQL is not there. */
class UnreachableDatabaseTest {
    private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/salmon";

    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        CliContext.useEnvironment(null);
    }

    @Test
    void everyDatabaseCommandExitsTwoWithOneClearLine() {
        CliContext.useEnvironment(Map.of("SALMON_DB_URL", NOWHERE, "SALMON_STORE", tmp.toString()));
        for (List<String> args : List.of(List.of("db", "migrate"), List.of("db", "info"), List.of("db", "verify-audit"),
                List.of("lineage", "1"), List.of("audit", "some-run"))) {
            CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + ": " + r);
            assertTrue(r.err().startsWith("salmon: cannot reach the lineage database at " + NOWHERE), args + ": " + r);
            assertTrue(r.err().contains("SALMON_DB_URL"), "says how to point elsewhere: " + r);
            assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r);
        }
    }

    @Test
    void theRealExecutableExitsTwo() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "salmonrun.worker.SalmonCli", "db", "info");
        pb.environment().put("SALMON_DB_URL", NOWHERE);
        pb.environment().put("SALMON_STORE", tmp.toString());
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "salmon db info did not finish");
            String err = java.nio.file.Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8);
            assertEquals(2, p.exitValue(), err);
            assertTrue(err.contains("cannot reach the lineage database at " + NOWHERE), err);
            assertFalse(err.contains("\tat "), "no stack trace: " + err);
        } finally {
            p.destroyForcibly();
        }
    }
}
