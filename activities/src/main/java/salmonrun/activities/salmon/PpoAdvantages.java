package salmonrun.activities.salmon;

import java.util.List;

/**
 * Turns one rollout batch into PPO training targets on the host: per-token KL to the reference, shaped rewards
 * (KL penalty everywhere, score at the last real token, times the reward scale), GAE per sequence, and advantages
 * whitened over every real token of the batch (reference: full-batch whitening).
 */
public final class PpoAdvantages {
    private PpoAdvantages() {}

    /** One sampled response: its token log-probs under policy and reference, value estimates, and its score. */
    public record Sequence(float[] logp, float[] refLogp, float[] values, double score) {
        public Sequence {
            if (logp.length == 0 || logp.length != refLogp.length || logp.length != values.length) {
                throw new IllegalArgumentException("logp, refLogp and values must have the same non-zero length, got "
                        + logp.length + "/" + refLogp.length + "/" + values.length);
            }
        }
    }

    /** Targets for one sequence: whitened advantages, returns, and the KL estimates. */
    public record Targets(double[] advantages, double[] returns, double[] kl) {
        public double klSum() {
            double s = 0;
            for (double k : kl) {
                s += k;
            }
            return s;
        }
    }

    public static List<Targets> compute(List<Sequence> batch, PpoConfig config) {
        double[][] adv = new double[batch.size()][];
        double[][] ret = new double[batch.size()][];
        double[][] kls = new double[batch.size()][];
        for (int b = 0; b < batch.size(); b++) {
            Sequence s = batch.get(b);
            kls[b] = PpoMath.kl(s.logp(), s.refLogp(), s.logp().length, config.kl());
            double[] shaped = PpoMath.shapedRewards(kls[b], s.score(), config.klCoef(), config.rewardScale());
            PpoMath.Gae g = PpoMath.gae(shaped, s.values(), config.gamma(), config.lambda());
            adv[b] = g.advantages();
            ret[b] = g.returns();
        }
        PpoMath.whiten(adv, true, config.whitenEpsilon());
        return java.util.stream.IntStream.range(0, batch.size())
                .mapToObj(b -> new Targets(adv[b], ret[b], kls[b])).toList();
    }
}
