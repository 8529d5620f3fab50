package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The phases over real PostgreSQL lineage and a real artifact store: artifacts, edges, metrics, cancel and resume. */
class Phases2LineageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static PhaseFixture fx;
    static long base;
    static long dataset;
    static long pool;

    static final PrincipleSet RL = new PrincipleSet(null, "rl", "h", List.of(
            new Principle("Humble", "The answer does not praise itself.", null, 1, Role.INTERVENTION),
            new Principle("Short", "The answer is short.", null, 1, Role.RL),
            new Principle("Kind", "The answer is kind.", null, 2, Role.RL)));

    /** Reference-shaped preference JSON Lines, criteria given as shown definitions. */
    static byte[] preferenceFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<RmPair> pairs = RewardModelTrainerTest.pairs();
        for (int rep = 0; rep < 2; rep++) {
            for (RmPair p : pairs) {
                ObjectNode o = JSON.createObjectNode().put("instruction", p.instruction() + (rep == 0 ? "" : " Please."))
                        .put("input", "").put("output_1", p.output1()).put("output_2", p.output2())
                        .put("preference", p.preferred()).put("dominant_dimension_idx", 0);
                o.putArray("dimensions").add("Concise");
                o.putArray("negative_definitions").add(p.negated().get(0) ? 1 : 0);
                ArrayNode defs = o.putArray("definitions");
                defs.add(p.negated().get(0) ? "The answer is long." : "The answer is short.");
                out.writeBytes(o.toString().getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    static byte[] poolFile() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append(JSON.createObjectNode().put("instruction", "What is " + i + " plus 2?").put("input", "")
                    .put("question_type", i % 2)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @BeforeAll
    static void setUp() {
        fx = new PhaseFixture();
        PhaseContext setup = fx.context("setup");
        base = setup.registerDirectory("checkpoint", TinyModels.checkpoint(dir, "base", 5),
                JSON.createObjectNode().put("role", "base"), List.of()).id();
        dataset = setup.register("preference-dataset", preferenceFile(), JSON.createObjectNode(), List.of()).id();
        pool = setup.register("prompt-pool", poolFile(), JSON.createObjectNode(), List.of()).id();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void evaluationComparisonAndCounterfactualRescoring() throws Exception {
        PhaseContext setup = fx.context("setup-eval");
        Path rmDir = dir.resolve("opinionated-rm");
        try (var m = salmonrun.activities.model.checkpoint.Checkpoint.loadScalarHead(fx.store.resolve(
                fx.lineage.artifact(base).sha256()), ai.djl.Device.cpu())) {
            m.parameters().get(salmonrun.activities.model.ScalarHeadModel.HEAD).addi(0.3f);
            salmonrun.activities.model.checkpoint.Checkpoint.save(rmDir, m,
                    fx.store.resolve(fx.lineage.artifact(base).sha256()).resolve("tokenizer.json"), null);
        }
        long rmId = setup.registerDirectory("checkpoint", rmDir, JSON.createObjectNode().put("role", "reward-model"),
                List.of()).id();
        long other = setup.registerDirectory("checkpoint", TinyModels.checkpoint(dir, "other", 99),
                JSON.createObjectNode(), List.of()).id();
        var items = salmonrun.activities.sandbox.InstructionGenerator.standard()
                .sample(salmonrun.activities.sandbox.Split.TEST, 6, 3).stream().map(EvaluationPhase.Item::of).toList();
        var settings = new EvaluationPhase.Settings(12, 0.7, 5, 6, 1, PpoConfig.ci().rewardLimits());

        PhaseContext ctx = fx.context("evaluate");
        EvaluationPhase.Result self = EvaluationPhase.evaluate(ctx, base, base, rmId, RL, ChatFormat.standard(), items, settings);
        assertEquals(6, self.report().n());
        assertEquals(0.0, self.report().kl(), 1e-4, "KL of a model to itself is zero");
        assertTrue(self.report().composite() != null && self.report().rmScore() != null);
        assertTrue(self.report().attributeTrueRates().containsKey("concise"), self.report().toString());
        EvaluationPhase.Result vsOther = EvaluationPhase.evaluate(ctx, base, other, rmId, RL, ChatFormat.standard(), items,
                settings);
        assertTrue(vsOther.report().kl() != 0.0, "a different reference gives a non-zero KL estimate");
        assertTrue(ancestorIds(self.evaluationArtifactId()).containsAll(Set.of(base, rmId)));

        EvaluationPhase.Result otherModel = EvaluationPhase.evaluate(ctx, other, null, null, null, ChatFormat.standard(),
                items, settings);
        assertEquals(null, otherModel.report().rmScore());
        EvaluationPhase.Comparison sameTwice = EvaluationPhase.compare(ctx, self.evaluationArtifactId(),
                self.evaluationArtifactId());
        assertEquals(6, sameTwice.ties());
        assertEquals(0.5, sameTwice.winRateA(), 1e-12);
        EvaluationPhase.Comparison c = EvaluationPhase.compare(ctx, self.evaluationArtifactId(),
                otherModel.evaluationArtifactId());
        assertEquals(6, c.winsA() + c.winsB() + c.ties());

        // re-scoring under the same principles and seed reproduces the stored scores; another set changes them
        RescoringPhase.Result same = RescoringPhase.run(ctx, rmId, self.evaluationArtifactId(), RL, 1, 5,
                PpoConfig.ci().rewardLimits(), 6);
        for (int i = 0; i < same.n(); i++) {
            assertEquals(self.samples().get(i).rmScore(), same.rows().get(i).newScore(), 1e-5);
        }
        PrincipleSet detailed = new PrincipleSet(null, "detailed", "h2", List.of(
                new Principle("Detailed", "The answer explains every step at length.", null, 1, Role.RL)));
        RescoringPhase.Result changed = RescoringPhase.run(ctx, rmId, self.evaluationArtifactId(), detailed, 1, 5,
                PpoConfig.ci().rewardLimits(), 6);
        assertEquals(same.meanNew(), changed.meanOld(), 1e-5);
        assertTrue(Math.abs(changed.meanNew() - changed.meanOld()) > 1e-6, "a different principle set changes the scores");
        assertEquals("rescoring", fx.lineage.artifact(changed.artifactId()).kind());
        assertTrue(ancestorIds(changed.artifactId()).contains(self.evaluationArtifactId()));
        var bad = assertThrows(IllegalArgumentException.class, () -> RescoringPhase.run(ctx, rmId, pool, RL, 1, 5,
                PpoConfig.ci().rewardLimits(), 6));
        assertTrue(bad.getMessage().contains("prompt-pool"), bad.getMessage());
    }

    private static Set<Long> ancestorIds(long artifact) {
        return fx.lineage.ancestors(artifact).stream().map(Artifact::id).collect(Collectors.toSet());
    }

    @Test
    void rewardModelAndPpoPhasesResumeAfterCancelAndRecordLineage() throws Exception {
        RewardModelConfig rmConfig = RewardModelConfig.ci().with(Map.of("maxSteps", 4, "epochs", 3, "checkpointEvery", 2,
                "heldOutFraction", 0.25));
        RuntimeException cancel = new RuntimeException("cancelled by heartbeat");
        PhaseContext rmCtx = fx.context("reward-model", p -> {
            if (p.step() == 3) {
                throw cancel;
            }
        });
        assertEquals(cancel, assertThrows(RuntimeException.class,
                () -> RewardModelPhase.run(rmCtx, base, dataset, List.of(), rmConfig)));
        Artifact partial = fx.lineage.newestArtifact(rmCtx.executionId(), "checkpoint").orElseThrow();
        assertEquals(2, partial.metadata().get("step").asInt());

        RewardModelPhase.Result rm = RewardModelPhase.run(fx.retry(rmCtx, p -> { }), base, dataset, List.of(), rmConfig);
        assertEquals(4, rm.steps());
        Artifact rmCkpt = fx.lineage.artifact(rm.checkpointArtifactId());
        assertTrue(rmCkpt.metadata().get("final").asBoolean());
        assertEquals(4, rmCkpt.metadata().get("step").asInt());
        assertTrue(ancestorIds(rmCkpt.id()).containsAll(Set.of(base, dataset)));
        assertEquals(4, fx.lineage.trainingMetrics(rmCtx.executionId()).size());
        assertTrue(rm.heldOutPairs() > 0, "some pairs are held out");
        Artifact eval = fx.lineage.artifact(rm.evaluationArtifactId());
        assertEquals("evaluation", eval.kind());
        assertTrue(eval.metadata().get("per_principle").size() > 0, eval.metadata().toString());

        PpoConfig ppoConfig = PpoConfig.ci().with(Map.of("rolloutBatchSize", 4, "stepBatchSize", 2, "microBatchSize", 2,
                "maxSteps", 4, "checkpointEvery", 2, "responseMaxTokens", 12, "principlesPerPrompt", 1));
        PpoPhase.Inputs in = new PpoPhase.Inputs(base, rm.checkpointArtifactId(), pool, RL,
                PpoPhase.chatQuery(ChatFormat.standard()));
        PhaseContext ppoCtx = fx.context("ppo", p -> {
            if (p.step() == 3) {
                throw cancel;
            }
        });
        assertEquals(cancel, assertThrows(RuntimeException.class, () -> PpoPhase.run(ppoCtx, in, ppoConfig)));
        // cancelled during step 3, after its rollouts were recorded but before a checkpoint (every 2 steps)
        Artifact step3 = fx.lineage.newestArtifact(ppoCtx.executionId(), "rollouts").orElseThrow();
        assertEquals(3, step3.metadata().get("step").asInt());
        PpoPhase.Result ppo = PpoPhase.run(fx.retry(ppoCtx, p -> { }), in, ppoConfig);
        assertEquals(4, ppo.steps());
        assertEquals(2, ppo.rolloutArtifactIds().size(), "the retry resumed at the step-2 checkpoint: steps 3 and 4");
        assertEquals(step3.id(), ppo.rolloutArtifactIds().get(0),
                "the resumed step 3 sampled byte-identical rollouts (same content hash, same artifact row)");
        Artifact ckpt = fx.lineage.artifact(ppo.checkpointArtifactId());
        assertEquals(4, ckpt.metadata().get("step").asInt());
        assertTrue(ancestorIds(ckpt.id()).containsAll(Set.of(base, rm.checkpointArtifactId(), pool, dataset)));
        assertEquals(4, fx.lineage.trainingMetrics(ppoCtx.executionId()).size());
        Artifact rollouts = fx.lineage.artifact(ppo.rolloutArtifactIds().get(1));
        assertEquals("rollouts", rollouts.kind());
        assertEquals(4, rollouts.metadata().get("step").asInt());
        // every prompt got the intervention principle plus one sampled RL principle
        assertEquals(4, rollouts.metadata().get("principle_counts").get("Humble").asInt());
        List<Rollout> rows = Rollout.fromJsonl(fx.store.resolve(rollouts.sha256()).toFile().exists()
                ? java.nio.file.Files.readAllBytes(fx.store.resolve(rollouts.sha256())) : new byte[0]);
        assertEquals(4, rows.size());
        rows.forEach(r -> assertEquals(2, r.principles().size()));
    }
}
