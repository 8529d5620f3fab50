package salmonrun.activities.model.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token on the host (DJL's engine has no multinomial): greedy, temperature, top-k, top-p. */
public final class Sampler {
    private Sampler() {
    }

    /** Index of the largest logit (lowest index on ties). */
    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            if (logits[offset + i] > bestValue) {
                bestValue = logits[offset + i];
                best = i;
            }
        }
        return best;
    }

    /** Samples from logits[offset .. offset+vocab) with the given parameters and random source. */
    public static int sample(float[] logits, int offset, int vocab, SamplingParams p, SplittableRandom random) {
        if (p.temperature() <= 0) {
            return argmax(logits, offset, vocab);
        }
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        // Descending by logit, index ascending on ties, so the candidate set is deterministic.
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(logits[offset + b], logits[offset + a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int keep = p.topK() > 0 ? Math.min(p.topK(), vocab) : vocab;
        double max = logits[offset + order[0]] / p.temperature();
        double[] weights = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp(logits[offset + order[i]] / p.temperature() - max);
            total += weights[i];
        }
        if (p.topP() < 1) {
            double cumulative = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                cumulative += weights[i] / total;
                if (cumulative >= p.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            total = 0;
            for (int i = 0; i < keep; i++) {
                total += weights[i];
            }
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            u -= weights[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
