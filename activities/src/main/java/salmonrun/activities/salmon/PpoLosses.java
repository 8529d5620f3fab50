package salmonrun.activities.salmon;

import ai.djl.ndarray.NDArray;

/**
 * The differentiable PPO and reward-model losses as NDArray expressions (the engine-side twins of
 * {@link PpoMath}, which the tests hold them to). Padded positions carry mask 0 and are left out; the sum is
 * divided by {@code denominator} (the real-token count of the whole optimizer step, for accumulation).
 */
public final class PpoLosses {
    private PpoLosses() {}

    /**
     * Clipped policy loss. logp, oldLogp, advantages, mask: [B,T] float.
     * {@code sum(max(-A*r, -A*clip(r, 1-c, 1+c)) * mask) / denominator}, r = exp(logp - oldLogp).
     */
    public static NDArray policyLoss(NDArray logp, NDArray oldLogp, NDArray advantages, NDArray mask,
                                     float clip, float denominator) {
        NDArray ratio = logp.sub(oldLogp).exp();                                   // [B,T]
        NDArray l1 = advantages.neg().mul(ratio);
        NDArray l2 = advantages.neg().mul(ratio.clip(1f - clip, 1f + clip));
        return l1.maximum(l2).mul(mask).sum().div(denominator);
    }

    /**
     * Clipped value loss before the value coefficient. values, oldValues, returns, mask: [B,T] float.
     * {@code 0.5 * sum(max((v-R)^2, (clip(v, old-c, old+c)-R)^2) * mask) / denominator}.
     */
    public static NDArray valueLoss(NDArray values, NDArray oldValues, NDArray returns, NDArray mask,
                                    float clip, float denominator) {
        NDArray clipped = values.maximum(oldValues.sub(clip)).minimum(oldValues.add(clip));   // [B,T]
        NDArray l1 = values.sub(returns).square();
        NDArray l2 = clipped.sub(returns).square();
        return l1.maximum(l2).mul(mask).sum().mul(0.5f).div(denominator);
    }

    /**
     * Pairwise Bradley-Terry loss summed over the batch and divided by {@code denominator}: rewards1, rewards2 [B],
     * secondPreferred [B] float 0/1; {@code softplus(r2 - r1) - y * (r2 - r1)} (BCE with logits, stable form).
     */
    public static NDArray bradleyTerry(NDArray rewards1, NDArray rewards2, NDArray secondPreferred, float denominator) {
        NDArray logit = rewards2.sub(rewards1);                                    // [B]
        NDArray softplus = logit.maximum(0f).add(logit.abs().neg().exp().add(1f).log());
        return softplus.sub(secondPreferred.mul(logit)).sum().div(denominator);
    }
}
