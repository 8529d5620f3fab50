package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;

/** Root-mean-square layer norm (Llama): {@code x / sqrt(mean(x^2) + eps) * weight}, computed in float32. */
public final class RmsNorm {
    private RmsNorm() {
    }

    /** x [..., H], weight [H] -> [..., H]. */
    public static NDArray apply(NDArray x, NDArray weight, float eps) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true); // [..., 1]
        NDArray inverseRms = meanSquare.add(eps).pow(-0.5f);         // [..., 1]
        return x.mul(inverseRms).mul(weight);
    }
}
