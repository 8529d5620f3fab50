package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.DbConfig;
import salmonrun.activities.lineage.TestDatabases;
import salmonrun.workflows.common.PhaseNames;

/**
 * `salmon demo --preset ci --json` end to end against a database that does not exist yet (the demo creates and
 * migrates it), then again to see memoized reuse, and against an unreachable PostgreSQL.
 */
class DemoCommandTest {
    @TempDir
    static Path tmp;

    /** The ci preset as shipped: its base model trains a fixed 300 steps (docs/demo.md). */
    private static final String[] DEMO = {"demo", "--preset", "ci", "--json"};

    private static DbConfig fresh;

    @BeforeAll
    static void freshDatabaseName() {
        fresh = TestDatabases.server().withDatabase(
                "salmon_demo_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    @AfterEach
    void restore() {
        CliContext.useEnvironment(null);
    }

    @AfterAll
    static void dropFresh() throws Exception {
        DbConfig admin = fresh.withDatabase("postgres");
        try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + fresh.databaseName() + " WITH (FORCE)");
        }
    }

    private static void useFresh() {
        Map<String, String> env = new HashMap<>();
        env.put("SALMON_DB_URL", fresh.url());
        env.put("SALMON_DB_USER", fresh.user());
        env.put("SALMON_DB_PASSWORD", fresh.password());
        env.put("SALMON_STORE", tmp.resolve("store").toString());
        CliContext.useEnvironment(env);
    }

    @Test
    void ciDemoCompletesOnTheRealEngineThenReusesEveryPhase() throws Exception {
        useFresh();
        CliRunner.Result first = CliRunner.run(DEMO);
        JsonNode s1 = CliContext.JSON.readTree(first.out());
        assertSchema(s1, first);
        assertEquals("completed", s1.get("status").asText(), first.toString());
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(s1.get("not_available").isEmpty(), first.toString());
        assertTrue(s1.get("error").isNull(), first.toString());
        assertTrue(s1.get("reused").isEmpty(), "nothing to reuse in a new database: " + first);
        assertCompleteRun(s1, false, first);
        JsonNode base = s1.get("base_model");
        assertFalse(base.get("memoized").asBoolean(), first.toString());
        JsonNode m = base.get("metrics");
        assertTrue(m.get("held_out_loss_after").asDouble() < m.get("held_out_loss_before").asDouble(),
                "pretraining lowered the held-out loss: " + m);
        JsonNode selfAlign = s1.get("phases").get(0).get("metrics");
        assertTrue(selfAlign.toString().contains("kept"), "self-align reports what its filter kept: " + selfAlign);

        CliRunner.Result second = CliRunner.run(DEMO);
        assertEquals(0, second.exitCode(), second.toString());
        JsonNode s2 = CliContext.JSON.readTree(second.out());
        assertSchema(s2, second);
        assertEquals("completed", s2.get("status").asText(), second.toString());
        assertCompleteRun(s2, true, second);
        assertTrue(s2.get("base_model").get("memoized").asBoolean(), "base model reused: " + second);
        assertEquals(base.get("artifact_id"), s2.get("base_model").get("artifact_id"));
        List<String> reused = new ArrayList<>();
        s2.get("reused").forEach(r -> reused.add(r.asText()));
        List<String> expected = new ArrayList<>(List.of("base model"));
        expected.addAll(PhaseNames.ALL);
        assertEquals(expected, reused, "the summary says what was reused: " + second);
        assertFalse(s1.get("workflow_id").asText().equals(s2.get("workflow_id").asText()));
        for (int i = 0; i < PhaseNames.ALL.size(); i++) {
            JsonNode p1 = s1.get("phases").get(i);
            JsonNode p2 = s2.get("phases").get(i);
            assertEquals(p1.get("execution_id"), p2.get("execution_id"), "reused the first run's execution: " + p2);
            assertEquals(p1.get("artifacts"), p2.get("artifacts"), p2.toString());
            assertEquals(p1.get("compute_seconds").asDouble(), p2.get("compute_seconds").asDouble(), 1e-9,
                    "the original execution's compute time: " + p2);
        }
        assertEquals(s1.get("evaluations"), s2.get("evaluations"), "the same four evaluations, read from lineage");
    }

    @Test
    void unreachablePostgresExitsTwoSayingWhatWasTried() {
        String nowhere = "jdbc:postgresql://127.0.0.1:1/salmon";
        CliContext.useEnvironment(Map.of("SALMON_DB_URL", nowhere, "SALMON_STORE", tmp.resolve("nostore").toString()));
        CliRunner.Result r = CliRunner.run("demo", "--preset", "ci");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("salmon: cannot reach the lineage database at " + nowhere + " as user 'postgres'"),
                r.toString());
        assertTrue(r.err().contains("SALMON_DB_URL") && r.err().contains("SALMON_DB_USER")
                && r.err().contains("SALMON_DB_PASSWORD"), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r);
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void unknownPresetIsRejected() {
        CliRunner.Result r = CliRunner.run("demo", "--preset", "huge");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("unknown preset 'huge' (expected ci, tiny or small)"), r.toString());
    }

    private static void assertSchema(JsonNode s, CliRunner.Result r) {
        for (String field : List.of("status", "preset", "workflow_id", "run_id", "total_seconds", "base_model",
                "phases", "evaluations", "not_available", "reused", "error")) {
            assertTrue(s.has(field), "summary has " + field + ": " + r);
        }
        assertEquals("ci", s.get("preset").asText());
        assertTrue(s.get("total_seconds").asDouble() > 0, r.toString());
        List<String> phases = new ArrayList<>();
        s.get("phases").forEach(p -> phases.add(p.get("phase").asText()));
        assertEquals(PhaseNames.ALL, phases, "every phase listed in order: " + r);
        for (JsonNode p : s.get("phases")) {
            for (String field : List.of("status", "execution_id", "seconds", "compute_seconds", "metrics", "artifacts")) {
                assertTrue(p.has(field), "phase has " + field + ": " + r);
            }
        }
    }

    private static void assertCompleteRun(JsonNode s, boolean memoized, CliRunner.Result r) {
        assertNotNull(s.get("workflow_id").textValue(), r.toString());
        assertTrue(s.get("run_id").asLong() > 0, r.toString());
        JsonNode base = s.get("base_model");
        assertTrue(base.get("artifact_id").asLong() > 0, r.toString());
        assertTrue(base.get("compute_seconds").asDouble() > 0, "pretraining took time: " + r);
        for (JsonNode p : s.get("phases")) {
            assertEquals(memoized ? "memoized" : "ran", p.get("status").asText(), r.toString());
            assertRealPhase(p, r);
        }
        List<String> models = new ArrayList<>();
        JsonNode evalArtifacts = s.get("phases").get(PhaseNames.ALL.indexOf(PhaseNames.EVAL)).get("artifacts");
        for (JsonNode e : s.get("evaluations")) {
            String model = e.get("model").asText();
            models.add(model);
            assertEquals(evalArtifacts.get("evaluation:" + model).asLong(), e.get("artifact_id").asLong(),
                    "every row is an artifact of the run's Eval phase: " + e);
            assertTrue(e.get("n").asInt() > 0, e.toString());
            double composite = e.get("composite").asDouble();
            assertTrue(composite >= 0 && composite <= 100, "composite in [0,100]: " + e);
            assertFalse(e.get("attributes").isEmpty(), "attribute rates: " + e);
            e.get("attributes").forEach(v -> assertTrue(v.asDouble() >= 0 && v.asDouble() <= 1, "rate in [0,1]: " + e));
        }
        assertEquals(List.of("base", "base_principles", "sft", "ppo"), models, r.toString());
    }

    private static void assertRealPhase(JsonNode p, CliRunner.Result r) {
        assertTrue(p.get("execution_id").asLong() > 0, r.toString());
        assertTrue(p.get("seconds").asDouble() > 0, "phase wall time measured: " + p);
        assertTrue(p.get("compute_seconds").asDouble() > 0, "phase compute time from lineage: " + p);
        assertFalse(p.get("artifacts").isEmpty(), "phase produced artifacts: " + p);
    }
}
