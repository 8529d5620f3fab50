package salmonrun.activities.salmon;

import ai.djl.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.SingleThreadEngine;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.checkpoint.TrainingState;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PpoTrainerTest {
    @TempDir
    static Path dir;
    static Path sft;
    static Path rm;

    static final PrincipleSet PRINCIPLES = new PrincipleSet(null, "rl", "h", List.of(
            new Principle("Humble", "The answer does not praise itself.", null, 1, Role.INTERVENTION),
            new Principle("Short", "The answer is short.", null, 1, Role.RL),
            new Principle("Numerical", "The numbers are right.", null, 1, Role.RL),
            new Principle("Kind", "The answer is kind.", null, 2, Role.RL)));

    static final Function<RlPrompt, String> QUERY = p -> "### User\n" + p.userTurn() + "\n\n### Salmon";

    static List<RlPrompt> pool() {
        List<RlPrompt> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            out.add(new RlPrompt("What is " + i + " plus 2?", i % 2, null));
        }
        return out;
    }

    private static int engineThreads;

    @BeforeAll
    static void setUp() {
        // The resume check compares runs, and advantage whitening amplifies float noise into the policy loss.
        engineThreads = SingleThreadEngine.pin();
        sft = TinyModels.checkpoint(dir, "sft", 11);
        rm = TinyModels.checkpoint(dir, "rm", 12);
    }

    @AfterAll
    static void restoreThreads() {
        SingleThreadEngine.restore(engineThreads);
    }

    private static PpoTrainer.Models models(Path policy, Path value, PpoConfig c) {
        ScalarHeadModel v = Checkpoint.loadScalarHead(value, Device.cpu());
        if (value.equals(rm)) {
            PpoTrainer.zeroValueHead(v);
        }
        ScalarHeadModel r = Checkpoint.loadScalarHead(rm, Device.cpu());
        r.parameters().get(ScalarHeadModel.HEAD).addi(0.3f);   // a reward model with some opinion
        return new PpoTrainer.Models(Checkpoint.loadDecoder(policy, Device.cpu()), Checkpoint.loadDecoder(sft, Device.cpu()),
                v, new InstructableRewardModel(r, Checkpoint.loadTokenizer(rm), c.rewardLimits()),
                Checkpoint.loadTokenizer(sft));
    }

    private static PpoTrainer trainer(PpoTrainer.Models m, PpoConfig c) {
        return new PpoTrainer(m, c, new RlPrincipleSampler(PRINCIPLES, c.principlesPerPrompt(), c.boosts()), QUERY);
    }

    @Test
    void everyRolloutRecordsItsPrinciplesAndResumeEqualsUninterrupted() {
        PpoConfig c = PpoConfig.ci().with(Map.of("maxSteps", 3, "principlesPerPrompt", 2, "epochs", 3,
                "responseMaxTokens", 16));
        PpoTrainer.Models full = models(sft, rm, c);
        List<PpoTrainer.StepResult> uninterrupted = trainer(full, c).train(pool(), null, (r, t, s) -> { });
        assertEquals(3, uninterrupted.size());
        for (PpoTrainer.StepResult r : uninterrupted) {
            assertEquals(8, r.rollouts().size());
            for (Rollout ro : r.rollouts()) {
                assertEquals(3, ro.principles().size());
                assertEquals("Humble", ro.principles().get(0), "intervention principles come first");
                assertTrue(ro.responseTokens() > 0);
            }
            assertTrue(Double.isFinite(r.metrics().get("policy_loss")));
            assertTrue(r.metrics().get("kl") >= 0);
        }
        // reasoning prompts (type 1) get "Numerical" boosted by +128 (the name contains "numerical")
        long boosted = uninterrupted.stream().flatMap(s -> s.rollouts().stream())
                .filter(ro -> ro.questionType() == 1).filter(ro -> ro.principles().contains("Numerical")).count();
        long reasoning = uninterrupted.stream().flatMap(s -> s.rollouts().stream()).filter(ro -> ro.questionType() == 1).count();
        assertEquals(reasoning, boosted, 1.0 + reasoning * 0.05);

        // interrupted after step 1: save like a phase would, stop, resume in fresh models
        PpoTrainer.Models first = models(sft, rm, c);
        Path ckpt = dir.resolve("ppo-step1");
        PpoTrainer.State[] saved = new PpoTrainer.State[1];
        RuntimeException stop = new RuntimeException("cancelled");
        assertEquals(stop, assertThrows(RuntimeException.class, () -> trainer(first, c).train(pool(), null, (r, t, s) -> {
            if (r.step() == 1) {
                Checkpoint.save(ckpt.resolve("policy"), first.policy(), first.tokenizer().file(), s.policyOptimizer());
                Checkpoint.save(ckpt.resolve("value"), first.value(), null, s.valueOptimizer());
                saved[0] = s;
                throw stop;
            }
        })));
        TrainingState po = Checkpoint.readTrainingState(ckpt.resolve("policy")).orElseThrow();
        TrainingState vo = Checkpoint.readTrainingState(ckpt.resolve("value")).orElseThrow();
        PpoTrainer.State state = new PpoTrainer.State(saved[0].stepsDone(), saved[0].rngState(), po, vo);
        PpoTrainer.Models resumed = models(ckpt.resolve("policy"), ckpt.resolve("value"), c);
        List<PpoTrainer.StepResult> rest = trainer(resumed, c).train(pool(), state, (r, t, s) -> { });
        assertEquals(2, rest.size());
        for (int i = 0; i < 2; i++) {
            PpoTrainer.StepResult a = uninterrupted.get(1 + i);
            PpoTrainer.StepResult b = rest.get(i);
            assertEquals(a.step(), b.step());
            assertEquals(a.rollouts().stream().map(Rollout::promptIndex).toList(),
                    b.rollouts().stream().map(Rollout::promptIndex).toList(), "same prompts, none retrained");
            assertEquals(a.rollouts().stream().map(Rollout::response).toList(),
                    b.rollouts().stream().map(Rollout::response).toList());
            assertEquals(a.metrics().get("policy_loss"), b.metrics().get("policy_loss"), 1e-4);
            assertEquals(a.metrics().get("rm_score"), b.metrics().get("rm_score"), 1e-4);
        }
        assertArrayEquals(full.policy().parameters().toHost("model.norm.weight").data(),
                resumed.policy().parameters().toHost("model.norm.weight").data(), 1e-5f);
    }

    @Test
    void rewardRisesWhenPpoOptimisesIt() {
        // Reward is the symbolic length term only (reward-model head zero): shorter answers score higher, and a
        // frequent stop marker lets the policy learn to stop early.
        PpoConfig c = PpoConfig.ci().with(Map.of("maxSteps", 8, "epochs", 10, "learningRate", 1e-2, "responseMaxTokens", 16,
                "stopMarker", "e", "lengthBonusMultipliers", Map.of(0, -1.0, 1, -1.0), "unfinishedPenalty", -2.0,
                "klCoef", 0.0, "ppoEpochs", 2));
        PpoTrainer.Models m = models(sft, rm, c);
        m.rewardModel().model().parameters().get(ScalarHeadModel.HEAD).muli(0f);
        List<PpoTrainer.StepResult> steps = trainer(m, c).train(pool(), null, (r, t, s) -> { });
        double early = (steps.get(0).metrics().get("score") + steps.get(1).metrics().get("score")) / 2;
        double late = (steps.get(6).metrics().get("score") + steps.get(7).metrics().get("score")) / 2;
        assertTrue(late > early, "mean score should rise: " + early + " -> " + late);
    }
}
