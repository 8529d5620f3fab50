package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.train.Batch;
import salmonrun.activities.model.train.PackedBatches;
import salmonrun.activities.model.train.SftBatches;
import salmonrun.activities.model.train.TrainConfig;
import salmonrun.activities.model.train.Trainer;
import salmonrun.activities.salmon.Progress;

/** The training loop: it learns, is deterministic for a seed, and a resumed run repeats the uninterrupted one. */
class TrainerTest {
    private static final int VOCAB = 48;
    private static int engineThreads;

    @BeforeAll
    static void pinThreads() {
        // Two runs are compared below: one intra-op thread keeps them bit-reproducible on a loaded machine.
        engineThreads = SingleThreadEngine.pin();
    }

    @AfterAll
    static void restoreThreads() {
        SingleThreadEngine.restore(engineThreads);
    }

    private static List<SftBatches.Example> examples() {
        SplittableRandom r = new SplittableRandom(3);
        List<SftBatches.Example> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int[] prompt = r.ints(3 + r.nextInt(6), 2, VOCAB).toArray();
            int[] target = new int[2 + r.nextInt(4)];
            for (int j = 0; j < target.length; j++) {
                target[j] = (prompt[0] + j) % VOCAB; // learnable: continues from the prompt's first token
            }
            out.add(new SftBatches.Example(prompt, target));
        }
        return out;
    }

    private static SftBatches sft(int accumulation) {
        return new SftBatches(examples(), 4, accumulation, 16, 1, 11);
    }

    private static TrainConfig config(int steps) {
        return TrainConfig.of(steps, 3e-3, 5).withAccumulation(2);
    }

    @Test
    void sftMasksThePromptAndPadding() {
        Batch b = sft(1).batch(0, 0);
        // Every counted position predicts a target token; prompt-only rows would count nothing.
        assertTrue(b.countedTokens() > 0);
        assertTrue(b.countedTokens() < b.rows() * b.length());
        SftBatches.Example e = new SftBatches.Example(new int[] {5, 6, 7}, new int[] {8, 9});
        Batch one = new SftBatches(List.of(e), 1, 1, 16, 0, 1).batch(0, 0);
        assertEquals(4, one.length());
        assertEquals(List.of(5L, 6L, 7L, 8L), asList(one.inputs()));
        assertEquals(List.of(6L, 7L, 8L, 9L), asList(one.targets()));
        assertEquals(List.of(0f, 0f, 1f, 1f), asList(one.lossMask()));
    }

    @Test
    void deterministicForASeedAndLearns() {
        List<Float> first;
        List<Float> second;
        try (LlamaModel m = TinyModels.model(VOCAB, 1)) {
            first = Trainer.train(m, sft(2), config(30), null, p -> { }).losses();
        }
        try (LlamaModel m = TinyModels.model(VOCAB, 1)) {
            second = Trainer.train(m, sft(2), config(30), null, p -> { }).losses();
        }
        for (int i = 0; i < first.size(); i++) { // see the resume test on the tolerance
            assertEquals(first.get(i), second.get(i), 1e-4 * first.get(i), "step " + (i + 1));
        }
        assertTrue(first.get(29) < first.get(0) * 0.7, "loss should fall: " + first);
        List<Float> otherSeed;
        try (LlamaModel m = TinyModels.model(VOCAB, 2)) {
            otherSeed = Trainer.train(m, sft(2), config(3), null, p -> { }).losses();
        }
        assertNotEquals(first.get(0), otherSeed.get(0));
    }

    @Test
    void resumedRunRepeatsTheUninterruptedOne(@TempDir Path tmp) {
        TrainConfig uninterrupted = config(8);
        List<Float> reference;
        try (LlamaModel m = TinyModels.model(VOCAB, 1)) {
            reference = Trainer.train(m, sft(2), uninterrupted, null, p -> { }).losses();
        }
        Path dir = tmp.resolve("ckpt");
        TrainConfig checkpointed = uninterrupted.withCheckpoints(dir, 3);
        List<Progress> seen = new ArrayList<>();
        try (LlamaModel m = TinyModels.model(VOCAB, 1)) {
            RuntimeException crash = assertThrows(RuntimeException.class, () -> Trainer.train(m, sft(2), checkpointed,
                    null, p -> {
                        seen.add(p);
                        if (p.step() == 5) {
                            throw new IllegalStateException("worker died");
                        }
                    }));
            assertEquals("worker died", crash.getMessage());
        }
        assertEquals(3, Checkpoint.readTrainingState(dir).orElseThrow().step());
        assertEquals(3.0, seen.get(2).metrics().get("checkpoint_step"));
        // The running token total (what /metrics counts): every position of every micro-batch trained so far.
        double expected = 0;
        for (int i = 0; i < seen.size(); i++) {
            for (int micro = 0; micro < 2; micro++) {
                Batch b = sft(2).batch(i, micro);
                expected += b.rows() * b.length();
            }
            assertEquals(expected, seen.get(i).metrics().get("tokens"), 1e-9, seen.get(i).toString());
        }
        // A differently initialised model proves the weights come from the checkpoint.
        Trainer.Result resumed;
        try (LlamaModel m = TinyModels.model(VOCAB, 99)) {
            resumed = Trainer.train(m, sft(2), checkpointed, null, p -> { });
        }
        assertEquals(3, resumed.firstStep());
        // With one intra-op thread the runs are bit-identical; the 1e-4 relative allowance stays as a margin far
        // below any real resume bug (with two threads a loaded machine changed the summation order).
        assertEquals(5, resumed.losses().size());
        for (int i = 0; i < 5; i++) {
            assertEquals(reference.get(3 + i), resumed.losses().get(i), 1e-4 * reference.get(3 + i), "step " + (4 + i));
        }
        assertEquals(8, Checkpoint.readTrainingState(dir).orElseThrow().step());
        assertFalse(Files.exists(dir.resolveSibling(".ckpt.tmp")));
    }

    @Test
    void packedPretrainingLearnsARepeatingStream() {
        int[] stream = new int[2000];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = (i * 5) % 17 + 2;
        }
        try (LlamaModel m = TinyModels.model(VOCAB, 4)) {
            List<Float> losses = Trainer.train(m, new PackedBatches(stream, 4, 32, 9),
                    TrainConfig.of(40, 1e-2, 9), null, p -> { }).losses();
            assertTrue(losses.get(39) < 0.5, "a periodic stream is easy to predict: " + losses);
        }
    }

    private static List<Long> asList(long[] a) {
        List<Long> l = new ArrayList<>();
        for (long v : a) {
            l.add(v);
        }
        return l;
    }

    private static List<Float> asList(float[] a) {
        List<Float> l = new ArrayList<>();
        for (float v : a) {
            l.add(v);
        }
        return l;
    }
}
