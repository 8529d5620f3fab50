package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Continuation log-probabilities and next-token logits against direct forward passes. */
class ScorerTest {
    private static final int VOCAB = 50;

    /** log-softmax of a full unpadded forward pass, row t = distribution after token t. */
    private static float[][] reference(LlamaModel m, int[] seq) {
        long[] ids = new long[seq.length];
        for (int i = 0; i < seq.length; i++) {
            ids[i] = seq[i];
        }
        try (NoGrad ignored = new NoGrad(); NDManager s = m.manager().newSubManager()) {
            float[] flat = m.logits(s.create(ids, new Shape(1, ids.length)), null, null, null).logSoftmax(-1).toFloatArray();
            float[][] out = new float[seq.length][VOCAB];
            for (int t = 0; t < seq.length; t++) {
                System.arraycopy(flat, t * VOCAB, out[t], 0, VOCAB);
            }
            return out;
        }
    }

    @Test
    void batchedMaskedLogProbsEqualPerSequenceForwardPasses() {
        try (LlamaModel m = TinyModels.model(VOCAB, 5)) {
            List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {7}, new int[] {4, 4, 4, 4, 4, 4});
            List<int[]> conts = List.of(new int[] {9, 8}, new int[] {10, 11, 12, 13}, new int[] {5});
            List<float[]> got = new Scorer(m, 2).continuationLogProbs(prompts, conts);
            for (int r = 0; r < prompts.size(); r++) {
                int[] p = prompts.get(r);
                int[] c = conts.get(r);
                int[] seq = new int[p.length + c.length];
                System.arraycopy(p, 0, seq, 0, p.length);
                System.arraycopy(c, 0, seq, p.length, c.length);
                float[][] ref = reference(m, seq);
                assertEquals(c.length, got.get(r).length);
                for (int j = 0; j < c.length; j++) {
                    assertEquals(ref[p.length - 1 + j][c[j]], got.get(r)[j], 1e-5, "row " + r + " token " + j);
                    assertTrue(got.get(r)[j] < 0);
                }
            }
        }
    }

    @Test
    void nextTokenLogitsAreTheLastPositionOfEachPrompt() {
        try (LlamaModel m = TinyModels.model(VOCAB, 6)) {
            List<int[]> prompts = List.of(new int[] {1, 2, 3, 4, 5}, new int[] {6, 7});
            List<float[]> got = new Scorer(m, 8).nextTokenLogits(prompts);
            for (int r = 0; r < prompts.size(); r++) {
                int[] p = prompts.get(r);
                long[] ids = new long[p.length];
                for (int i = 0; i < p.length; i++) {
                    ids[i] = p[i];
                }
                try (NoGrad ignored = new NoGrad(); NDManager s = m.manager().newSubManager()) {
                    float[] flat = m.logits(s.create(ids, new Shape(1, ids.length)), null, null, null).toFloatArray();
                    float[] last = java.util.Arrays.copyOfRange(flat, (p.length - 1) * VOCAB, p.length * VOCAB);
                    assertArrayEquals(last, got.get(r), 1e-5f);
                }
            }
        }
    }

    @Test
    void logitMarginsAreTheDifferenceOfTwoNextTokenLogits() {
        try (LlamaModel m = TinyModels.model(VOCAB, 6)) {
            List<int[]> prompts = List.of(new int[] {1, 2, 3, 4, 5}, new int[] {6, 7});
            List<float[]> logits = new Scorer(m, 8).nextTokenLogits(prompts);
            double[] margins = new Scorer(m, 1).logitMargins(prompts, 3, 9);
            assertEquals(2, margins.length);
            for (int r = 0; r < prompts.size(); r++) {
                assertEquals((double) logits.get(r)[3] - logits.get(r)[9], margins[r], 1e-5);
            }
        }
    }
}
