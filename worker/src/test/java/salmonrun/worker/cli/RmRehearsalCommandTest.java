package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.LineageEdge;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ModelConfig;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.TinyModels;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/** `salmon phases2 rm-rehearsal --register`: the trained RM becomes a lineage artifact `phases2 ppo` can use. */
class RmRehearsalCommandTest {
    @RegisterExtension
    static final CliDatabase CLI = new CliDatabase();

    /** A random decoder with a 512-token context (the RM prompt does not fit TinyModels' 64). */
    private static Path base(Path tmp) {
        Path tok = TinyModels.tokenizer(tmp.resolve("tokenizer.json"), 300);
        Path dir = tmp.resolve("base");
        try (TextTokenizer t = TextTokenizer.load(tok);
             LlamaModel m = LlamaModel.random(ModelConfig.of(t.vocabSize(), 32, 2, 4, 2, 64, 512, false), 7,
                     Device.cpu())) {
            Checkpoint.save(dir, m, tok, null);
        }
        return dir;
    }

    @Test
    void registerPutsTheRewardModelIntoTheLineageWithItsBaseAndLabelSource(@TempDir Path tmp) throws Exception {
        CLI.useEnvironment();
        Path base = base(tmp);
        CliRunner.Result r = CliRunner.run("phases2", "rm-rehearsal", "--base", base.toString(), "--steps", "2",
                "--batch-pairs", "2", "--pairs-per-principle", "2", "--eval-pairs", "1", "--max-tokens", "512", "--max-shown", "2", "--register");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode report = CliContext.JSON.readTree(r.out());
        long rmId = report.path("reward_model_artifact_id").asLong(-1);
        long baseId = report.path("base_artifact_id").asLong(-1);
        assertTrue(rmId > 0 && baseId > 0, r.out());

        ArtifactStore store = new ArtifactStore(CLI.store());
        LineageRepository lineage = new LineageRepository(CLI.db(), store);
        Artifact rm = lineage.artifact(rmId);
        assertEquals("checkpoint", rm.kind());
        assertEquals("reward-model", rm.metadata().path("role").asText());
        assertEquals("oracle-grader", rm.metadata().path("labels").asText());
        assertEquals(report.path("principles"), rm.metadata().path("probe"));
        // Probed: every principle the RM is shown that the grader can establish, labelling, rl and intervention.
        Map<String, String> roles = new java.util.TreeMap<>();
        report.path("principles").forEach(row -> {
            roles.put(row.path("principle").asText() + "/" + row.path("role").asText(), row.path("target").asText());
            assertTrue(row.path("accuracy_among_rl_principles").isNumber(), row.toString());
        });
        assertEquals("no_self_praise", roles.get("No Self-Praise/intervention"), roles.toString());
        assertEquals("honest", roles.get("Candid/rl"), roles.toString());
        assertEquals("not_concise", roles.get("Detailed/labelling"), roles.toString());
        assertEquals(List.of(new LineageEdge(rmId, baseId, "init")), lineage.inputsOf(rmId));
        Artifact b = lineage.artifact(baseId);
        assertEquals("checkpoint", b.kind());
        assertEquals(base.toString(), b.metadata().path("source").asText());

        // The registered directory is a loadable scalar-head checkpoint whose trained head is stored (PPO's RM).
        Path rmDir = store.resolve(rm.sha256());
        assertTrue(Files.isRegularFile(rmDir.resolve("tokenizer.json")), rmDir.toString());
        assertTrue(Checkpoint.readWeights(rmDir).containsKey(ScalarHeadModel.HEAD), rmDir.toString());
        Checkpoint.loadScalarHead(rmDir, Device.cpu()).close();

        // --from registers an already trained RM without training: the very same bytes, probed the same way.
        CliRunner.Result again = CliRunner.run("phases2", "rm-rehearsal", "--base", base.toString(), "--from",
                rmDir.toString(), "--eval-pairs", "1", "--max-tokens", "512", "--max-shown", "2", "--register");
        assertEquals(0, again.exitCode(), again.toString());
        JsonNode second = CliContext.JSON.readTree(again.out());
        Artifact reloaded = lineage.artifact(second.path("reward_model_artifact_id").asLong());
        assertTrue(reloaded.id() != rmId, again.out());
        assertEquals(rm.sha256(), reloaded.sha256());
        assertEquals(report.path("principles"), second.path("principles"));
        assertEquals(rmDir.toString(), reloaded.metadata().path("source").asText());
        assertEquals("oracle-grader", reloaded.metadata().path("labels").asText());
        assertTrue(second.path("steps").isMissingNode() && !again.err().contains("training on"), again.toString());
    }

    @Test
    void withoutRegisterNoDatabaseIsNeeded(@TempDir Path tmp) throws Exception {
        CliContext.useEnvironment(Map.of("SALMON_DB_URL", "jdbc:postgresql://127.0.0.1:1/none",
                "SALMON_STORE", CLI.store().toString()));
        Path base = base(tmp);
        CliRunner.Result r = CliRunner.run("phases2", "rm-rehearsal", "--base", base.toString(), "--steps", "1",
                "--batch-pairs", "2", "--pairs-per-principle", "1", "--eval-pairs", "1", "--max-shown", "1", "--max-tokens", "512");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(CliContext.JSON.readTree(r.out()).path("reward_model_artifact_id").isMissingNode(), r.out());
    }

    @Test
    void aListOfNoPrinciplesIsRefusedBeforeAnyWork(@TempDir Path tmp) {
        CliRunner.Result r = CliRunner.run("phases2", "rm-rehearsal", "--base", tmp.toString(), "--max-shown", "0");
        assertEquals(CliContext.FAILED, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--max-shown must be at least 1, got 0"), r.toString());
    }
}
