package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;

/** Log-probabilities and the masked language-model loss, as differentiable NDArray expressions. */
public final class Losses {
    private Losses() {
    }

    /** logits [B,T,V], targets [B,T] int64 -> log p(target) [B,T]. */
    public static NDArray tokenLogProbs(NDArray logits, NDArray targets) {
        return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
    }

    /**
     * Mean negative log-likelihood over the positions where {@code mask} [B,T] (float, 0/1) is 1;
     * {@code denominator} is the number of counted tokens (for gradient accumulation: of the whole step).
     */
    public static NDArray maskedNll(NDArray logits, NDArray targets, NDArray mask, float denominator) {
        return tokenLogProbs(logits, targets).mul(mask).sum().neg().div(denominator);
    }
}
