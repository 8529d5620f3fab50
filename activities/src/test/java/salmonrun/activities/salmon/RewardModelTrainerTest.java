package salmonrun.activities.salmon;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.checkpoint.TrainingState;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardModelTrainerTest {
    @TempDir
    static Path dir;
    static Path base;

    static final List<Principle> LABELLING = List.of(
            new Principle("Concise", "The answer is short.", "The answer is long.", 1, Role.LABELLING));

    /** Concise pairs: the short answer wins; negated, the long one wins. */
    static List<RmPair> pairs() {
        List<RmPair> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String shortA = "Four.";
            String longA = "The answer is four, and I am sure it is a great answer!";
            boolean negate = i % 2 == 1;
            boolean shortFirst = i % 4 < 2;
            int preferred = (shortFirst ^ negate) ? 1 : 2;
            out.add(new RmPair("What is " + i + " plus 2?", shortFirst ? shortA : longA, shortFirst ? longA : shortA,
                    preferred, List.of("Concise"), List.of(negate), 0));
        }
        return out;
    }

    @BeforeAll
    static void setUp() {
        base = TinyModels.checkpoint(dir, "base", 7);
    }

    private static InstructableRewardModel load(Path ckpt) {
        return new InstructableRewardModel(Checkpoint.loadScalarHead(ckpt, Device.cpu()), Checkpoint.loadTokenizer(ckpt),
                RewardModelConfig.ci().limits());
    }

    private static double meanLoss(InstructableRewardModel rm, List<RmPair> pairs, RewardModelTrainer t) {
        List<InstructableRewardModel.Input> in = new ArrayList<>();
        for (RmPair p : pairs) {
            in.add(new InstructableRewardModel.Input(p.output1(), p.instruction(), t.criteria(p)));
            in.add(new InstructableRewardModel.Input(p.output2(), p.instruction(), t.criteria(p)));
        }
        double[] r = rm.score(in, 8);
        double sum = 0;
        for (int i = 0; i < pairs.size(); i++) {
            sum += PpoMath.bradleyTerryLoss(r[2 * i], r[2 * i + 1], pairs.get(i).preferred() == 2);
        }
        return sum / pairs.size();
    }

    @Test
    void rewardIsOneScalarPerSequence() {
        InstructableRewardModel rm = load(base);
        try (NDManager m = NDManager.newBaseManager()) {
            List<int[]> seqs = List.of(rm.encode(new InstructableRewardModel.Input("a", "b", List.of("c"))),
                    rm.encode(new InstructableRewardModel.Input("a much longer answer here", "b", List.of("c", "d"))),
                    rm.encode(new InstructableRewardModel.Input("x", "y", List.of("z"))));
            NDArray r = rm.rewards(m, seqs);
            assertEquals(new ai.djl.ndarray.types.Shape(3), r.getShape());
        }
        // left padding does not change a sequence's reward: scored alone or next to a longer one
        InstructableRewardModel.Input shortIn = new InstructableRewardModel.Input("Four.", "What is 2 plus 2?", List.of("The answer is short."));
        InstructableRewardModel.Input longIn = new InstructableRewardModel.Input(
                "The answer is four, and I am sure it is a great answer!", "What is 2 plus 2?", List.of("The answer is long."));
        // a fresh head is zero: perturb it so the check is not trivially 0 == 0
        rm.model().parameters().get(ScalarHeadModel.HEAD).addi(0.5f);
        double alone = rm.score(List.of(shortIn), 1)[0];
        double batched = rm.score(List.of(shortIn, longIn), 2)[0];
        assertTrue(alone != 0.0);
        assertEquals(alone, batched, 1e-4);
    }

    @Test
    void bradleyTerryTrainingLowersTheLossAndResumeEqualsUninterrupted() {
        RewardModelConfig config = RewardModelConfig.ci().with(Map.of("maxSteps", 6, "epochs", 4, "learningRate", 3e-3));
        List<RmPair> pairs = pairs();

        InstructableRewardModel full = load(base);
        RewardModelTrainer fullTrainer = new RewardModelTrainer(full, config, LABELLING);
        double before = meanLoss(full, pairs, fullTrainer);
        List<RewardModelTrainer.StepResult> uninterrupted = fullTrainer.train(pairs, null, (r, total, s) -> { });
        double after = meanLoss(full, pairs, fullTrainer);
        assertEquals(6, uninterrupted.size());
        assertTrue(after < before, "pairwise loss should fall: " + before + " -> " + after);

        // interrupted after step 3: save a checkpoint, stop, resume from it in a fresh model
        InstructableRewardModel first = load(base);
        Path ckpt = dir.resolve("rm-step3");
        RuntimeException stop = new RuntimeException("cancelled");
        var thrown = assertThrows(RuntimeException.class, () -> new RewardModelTrainer(first, config, LABELLING)
                .train(pairs, null, (r, total, s) -> {
                    if (r.step() == 3) {
                        Checkpoint.save(ckpt, first.model(), first.tokenizer().file(), s);
                        throw stop;
                    }
                }));
        assertEquals(stop, thrown);
        InstructableRewardModel resumed = load(ckpt);
        TrainingState state = Checkpoint.readTrainingState(ckpt).orElseThrow();
        List<RewardModelTrainer.StepResult> rest = new RewardModelTrainer(resumed, config, LABELLING)
                .train(pairs, state, (r, total, s) -> { });
        assertEquals(3, rest.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(uninterrupted.get(3 + i).loss(), rest.get(i).loss(), 1e-5, "step " + (4 + i));
        }
        float[] a = full.model().parameters().toHost(ScalarHeadModel.HEAD).data();
        float[] b = resumed.model().parameters().toHost(ScalarHeadModel.HEAD).data();
        assertArrayEquals(a, b, 1e-5f);
    }

    @Test
    void unknownPrincipleInThePairsIsRejectedBeforeTraining() {
        RmPair bad = new RmPair("i", "a", "b", 1, List.of("Funny"), List.of(false), 0);
        var t = new RewardModelTrainer(load(base), RewardModelConfig.ci(), LABELLING);
        var e = assertThrows(IllegalArgumentException.class, () -> t.train(List.of(bad, bad, bad, bad), null, (r, n, s) -> { }));
        assertTrue(e.getMessage().contains("Funny"), e.getMessage());
    }
}
