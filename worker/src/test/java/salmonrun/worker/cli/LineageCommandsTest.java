package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactStore;

/** `salmon db ...`, `salmon lineage` and `salmon audit` (text and JSON) against a real database and store. */
class LineageCommandsTest {
    @TempDir
    static Path tmp;

    @RegisterExtension
    static final CliDatabase CLI = new CliDatabase();
    private static RunFixture f;

    @BeforeAll
    static void setUp() throws Exception {
        ArtifactStore store = new ArtifactStore(CLI.store());
        f = new RunFixture(CLI.db(), store, tmp.resolve("scratch"));
    }

    @BeforeEach
    void useCli() {
        CLI.useEnvironment();
    }

    @Test
    void dbMigrateAndInfo() throws Exception {
        CliRunner.Result migrate = CliRunner.run("db", "migrate");
        assertEquals(0, migrate.exitCode(), migrate.toString());
        assertTrue(migrate.out().contains("applied 0 migration(s); schema at version 3"), migrate.toString());
        CliRunner.Result info = CliRunner.run("db", "info");
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().matches("(?s).*\\n1\\s+lineage\\s+Success .*"), info.toString());
        assertTrue(info.out().matches("(?s).*\\n2\\s+audit event no truncate\\s+Success .*"), info.toString());
        assertTrue(info.out().matches("(?s).*\\n3\\s+run reuse\\s+Success .*"), info.toString());
        JsonNode json = CliContext.JSON.readTree(CliRunner.run("db", "info", "--json").out());
        assertEquals("Success", json.get("migrations").get(0).get("state").asText());
    }

    @Test
    void verifyAuditPassesThenNamesTheTamperedRow() throws Exception {
        CliRunner.Result ok = CliRunner.run("db", "verify-audit");
        assertEquals(0, ok.exitCode(), ok.toString());
        assertTrue(ok.out().contains("audit chain intact: 4 event(s) verified"), ok.toString());

        long victim = f.lastEventId;
        tamper("UPDATE audit_event SET reason = 'nothing to see' WHERE id = " + victim);
        try {
            CliRunner.Result broken = CliRunner.run("db", "verify-audit");
            assertEquals(1, broken.exitCode(), broken.toString());
            assertTrue(broken.out().contains("audit chain BROKEN at event " + victim), broken.toString());
            assertTrue(broken.out().contains("first bad row: id=" + victim) && broken.out().contains("nothing to see"),
                    broken.toString());
            CliRunner.Result audit = CliRunner.run("audit", f.workflowId);
            assertEquals(1, audit.exitCode(), "an audit over a broken chain must fail: " + audit);
            assertTrue(audit.out().contains("audit chain: BROKEN at event " + victim), audit.toString());
        } finally {
            tamper("UPDATE audit_event SET reason = 'reward hacking by verbosity <b>' WHERE id = " + victim);
        }
        assertEquals(0, CliRunner.run("db", "verify-audit").exitCode(), "restoring the row restores the chain");
    }

    @Test
    void lineageWalksUpAndDown() {
        CliRunner.Result r = CliRunner.run("lineage", String.valueOf(f.sft.id()));
        assertEquals(0, r.exitCode(), r.toString());
        String up = r.out().substring(r.out().indexOf("up:"), r.out().indexOf("down:"));
        String down = r.out().substring(r.out().indexOf("down:"));
        assertTrue(up.contains("- [base] artifact " + f.base.id() + " checkpoint"), r.toString());
        assertTrue(up.contains("    - [corpus] artifact " + f.corpus.id() + " corpus"), "corpus nested under base: " + r);
        assertTrue(up.contains("- [prompts] artifact " + f.prompts.id()), r.toString());
        assertTrue(up.contains("(run salmon-prev)") && up.contains("on w-cpu-1"), "producer run and worker: " + r);
        assertFalse(up.contains("artifact " + f.ppo.id() + " "), r.toString());
        assertTrue(down.contains("- [policy] artifact " + f.ppo.id()) && down.contains("- [policy] artifact " + f.prefs.id()),
                r.toString());
        assertTrue(down.contains("[model] artifact " + f.eval.id()), r.toString());
        assertTrue(down.contains("(shown above)"), "eval is reached via ppo and directly from sft: " + r);
    }

    @Test
    void lineageJsonAndHashPrefix() throws Exception {
        CliRunner.Result r = CliRunner.run("lineage", f.eval.sha256().substring(0, 10), "--json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode doc = CliContext.JSON.readTree(r.out());
        assertEquals(f.eval.id(), doc.get("artifact").get("id").asLong());
        assertEquals("eval", doc.get("artifact").get("phase").asText());
        List<Long> ancestors = new ArrayList<>();
        doc.get("ancestors").forEach(a -> ancestors.add(a.get("id").asLong()));
        assertEquals(List.of(f.base.id(), f.sft.id(), f.ppo.id(), f.corpus.id(), f.prompts.id(), f.prefs.id()),
                ancestors, "nearest first, then by id");
        assertEquals(0, doc.get("descendants").size());
    }

    @Test
    void lineageOfUnknownArtifactIsAClearError() {
        CliRunner.Result r = CliRunner.run("lineage", "987654");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("salmon: no artifact with id 987654", r.err().strip());
        CliRunner.Result bad = CliRunner.run("lineage", "zz");
        assertEquals(1, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("hash prefix"), bad.toString());
    }

    @Test
    void auditTextShowsEverythingTheOperatorNeeds() {
        CliRunner.Result r = CliRunner.run("audit", f.workflowId);
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.out();
        for (Artifact a : List.of(f.base, f.prompts, f.sft, f.prefs, f.ppo, f.eval)) {
            assertTrue(out.contains("#" + a.id() + " " + a.kind() + "  sha256 " + a.sha256()), "artifact " + a.id() + ": " + r);
        }
        assertFalse(out.contains("sha256 " + f.corpus.sha256()), "the corpus is two steps away, not an input of this run");
        assertTrue(out.contains("produced by ppo execution #" + f.ppoExecution + " on worker w-gpu-2"), r.toString());
        assertTrue(out.contains("[made by run salmon-prev, used here]"), r.toString());
        assertTrue(out.contains("reused executions (memoized, made by earlier runs) (1):\n  #" + f.pretrainExecution
                + " pretrain       of run id " + f.previousRunId + "  worker w-cpu-1"), r.toString());
        assertTrue(out.contains("inputs: #" + f.sft.id() + " [policy], #" + f.prefs.id() + " [reward-data]"), r.toString());
        assertTrue(out.contains("#" + f.principleSetV2 + " default"), r.toString());
        assertTrue(out.contains("previous run salmon-prev") && out.contains("CHANGED since then"), r.toString());
        assertTrue(out.contains("principle changes #" + (f.principleSetV2 - 1) + " -> #" + f.principleSetV2
                + " (previous run salmon-prev -> this run)"), r.toString());
        assertTrue(out.contains("~ reworded     labelling/concise: definition \"Prefer shorter answers.\""), r.toString());
        assertTrue(out.contains("~ re-weighted  rl/helpful"), r.toString());
        assertTrue(out.contains("principle changes #" + f.principleSetV2 + " -> #" + (f.principleSetV2 + 1)
                + " (ppo.rl_principles.changed by dave at "), "the PPO-time change with who/when: " + r);
        assertTrue(out.contains("why: stop rewarding length (audit event #"), r.toString());
        assertTrue(out.contains("~ re-weighted  rl/helpful: 0.5 -> 0.25"), r.toString());
        assertTrue(out.contains("carol  ppo.principle-weight  why: reward hacking by verbosity <b>"), r.toString());
        assertTrue(out.contains("training steps recorded: 12"), r.toString());
        assertTrue(out.contains("evaluations side by side (model-evaluation):"), r.toString());
        assertTrue(out.matches("(?s).*checkpoint #" + f.ppo.id() + " from ppo\\s+40\\s+0\\.9500\\s+0\\.5700\\s+0\\.8000\\n.*"),
                r.toString());
        assertTrue(out.contains("audit chain: intact (4 event(s) verified)"), r.toString());
    }

    @Test
    void auditJsonByNumericId() throws Exception {
        CliRunner.Result r = CliRunner.run("audit", String.valueOf(f.runId), "--json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode doc = CliContext.JSON.readTree(r.out());
        assertEquals(f.workflowId, doc.get("run").get("workflowId").asText());
        assertEquals(8, doc.get("artifacts").size());
        assertEquals(4, doc.get("executions").size());
        assertEquals("pretrain", doc.at("/reusedExecutions/0/execution/phase").asText());
        assertEquals(12, doc.get("trainingMetrics").get(String.valueOf(f.ppoExecution)).size());
        assertTrue(doc.get("chain").get("ok").asBoolean());
        assertEquals(3, doc.get("events").size());
        assertTrue(doc.get("previous").get("principleSetsChanged").asBoolean());
        JsonNode changes = doc.get("principleDiffs").get(0).get("diff").get("changes");
        assertEquals(2, changes.size(), changes.toString());
        assertEquals("REWORDED", changes.get(0).get("kind").asText());
        assertEquals("REWEIGHTED", changes.get(1).get("kind").asText());
    }

    @Test
    void unknownRunIsAClearError() {
        CliRunner.Result r = CliRunner.run("audit", "no-such-run");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("salmon: no run with workflow id or id 'no-such-run'", r.err().strip());
    }

    private static void tamper(String update) throws Exception {
        try (Connection c = CLI.db().connection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
            try {
                s.execute(update);
            } finally {
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update");
            }
        }
    }
}
