package salmonrun.activities.salmon;

/**
 * PPO host math on plain arrays, one sequence's response tokens at a time: KL shaping, GAE, whitening, and
 * the clipped losses (the last two are the specification the engine-side losses are tested against).
 * Only the first {@code len} positions of a row are real tokens; the rest is padding and is ignored.
 */
public final class PpoMath {
    private PpoMath() {}

    /** How the per-token KL to the reference is estimated. */
    public enum KlEstimator {
        /** logp - ref_logp clamped at 0 (the reference's default). */
        K1,
        /** exp(ref - logp) - 1 - (ref - logp), always >= 0. */
        K3
    }

    /** Per-token KL estimates for the first {@code len} tokens. */
    public static double[] kl(float[] logp, float[] refLogp, int len, KlEstimator estimator) {
        double[] kl = new double[len];
        for (int t = 0; t < len; t++) {
            double d = logp[t] - refLogp[t];
            kl[t] = switch (estimator) {
                case K1 -> Math.max(d, 0.0);
                case K3 -> Math.exp(-d) - 1.0 + d;
            };
        }
        return kl;
    }

    /**
     * Shaped per-token rewards: {@code -klCoef * kl[t]} everywhere, plus {@code score} (the RM score with its
     * symbolic terms) at the last real token; then everything multiplied by {@code rewardScale} (reference:
     * 10, applied in its advantage estimate to the whole shaped reward).
     */
    public static double[] shapedRewards(double[] kl, double score, double klCoef, double rewardScale) {
        int len = kl.length;
        if (len == 0) {
            throw new IllegalArgumentException("cannot shape rewards of an empty response");
        }
        double[] r = new double[len];
        for (int t = 0; t < len; t++) {
            r[t] = -klCoef * kl[t];
        }
        r[len - 1] += score;
        for (int t = 0; t < len; t++) {
            r[t] *= rewardScale;
        }
        return r;
    }

    /** Advantages and returns (= advantages + values) of one sequence. */
    public record Gae(double[] advantages, double[] returns) {}

    /** Generalised advantage estimation over one sequence; the value after the last token is 0. */
    public static Gae gae(double[] rewards, float[] values, double gamma, double lambda) {
        int len = rewards.length;
        double[] adv = new double[len];
        double[] ret = new double[len];
        double last = 0;
        for (int t = len - 1; t >= 0; t--) {
            double next = t + 1 < len ? values[t + 1] : 0.0;
            double delta = rewards[t] + gamma * next - values[t];
            last = delta + gamma * lambda * last;
            adv[t] = last;
            ret[t] = last + values[t];
        }
        return new Gae(adv, ret);
    }

    /**
     * Whitens in place over every real position of the batch: (x - mean) / (std + eps) with the population
     * standard deviation, as the reference does across its full rollout batch. With {@code shiftMean} false
     * the mean is added back.
     */
    public static void whiten(double[][] rows, boolean shiftMean, double eps) {
        long n = 0;
        double sum = 0;
        for (double[] row : rows) {
            for (double v : row) {
                sum += v;
                n++;
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("whitening needs at least 2 values, got " + n);
        }
        double mean = sum / n;
        double ss = 0;
        for (double[] row : rows) {
            for (double v : row) {
                ss += (v - mean) * (v - mean);
            }
        }
        double std = Math.sqrt(ss / n);
        for (double[] row : rows) {
            for (int t = 0; t < row.length; t++) {
                row[t] = (row[t] - mean) / (std + eps) + (shiftMean ? 0.0 : mean);
            }
        }
    }

    /** A loss value with the fraction of positions where clipping was active. */
    public record ClippedLoss(double loss, double clipFraction) {}

    /**
     * Clipped policy loss {@code mean(max(-A*ratio, -A*clip(ratio, 1-c, 1+c)))}, ratio = exp(logp - oldLogp),
     * over all given positions.
     */
    public static ClippedLoss policyLoss(double[] logp, double[] oldLogp, double[] advantages, double clip) {
        double sum = 0;
        int clipped = 0;
        for (int t = 0; t < logp.length; t++) {
            double ratio = Math.exp(logp[t] - oldLogp[t]);
            double l1 = -advantages[t] * ratio;
            double l2 = -advantages[t] * Math.min(Math.max(ratio, 1.0 - clip), 1.0 + clip);
            sum += Math.max(l1, l2);
            if (l2 > l1) {
                clipped++;
            }
        }
        return new ClippedLoss(sum / logp.length, (double) clipped / logp.length);
    }

    /**
     * Clipped value loss {@code 0.5 * mean(max((v - R)^2, (clip(v, old - c, old + c) - R)^2))} over all given
     * positions (before the value coefficient).
     */
    public static ClippedLoss valueLoss(double[] values, double[] oldValues, double[] returns, double clip) {
        double sum = 0;
        int clipped = 0;
        for (int t = 0; t < values.length; t++) {
            double vClipped = Math.min(Math.max(values[t], oldValues[t] - clip), oldValues[t] + clip);
            double l1 = (values[t] - returns[t]) * (values[t] - returns[t]);
            double l2 = (vClipped - returns[t]) * (vClipped - returns[t]);
            sum += Math.max(l1, l2);
            if (l2 > l1) {
                clipped++;
            }
        }
        return new ClippedLoss(0.5 * sum / values.length, (double) clipped / values.length);
    }

    /**
     * Pairwise Bradley-Terry loss of one pair, as the reference writes it:
     * {@code BCEWithLogits(r2 - r1, choice)} with choice 1 when output 2 is preferred.
     */
    public static double bradleyTerryLoss(double reward1, double reward2, boolean secondPreferred) {
        double logit = reward2 - reward1;
        // softplus(x) - y*x, computed stably
        double softplus = Math.max(logit, 0) + Math.log1p(Math.exp(-Math.abs(logit)));
        return softplus - (secondPreferred ? logit : 0.0);
    }
}
