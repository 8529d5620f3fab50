package salmonrun.activities.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Collection;

/**
 * Global-norm gradient clipping: if ||g||_2 over all tensors exceeds {@code maxNorm}, every gradient is scaled
 * by maxNorm / ||g||. Written here because DJL's built-in clipping mishandles negative values.
 */
public final class GradClip {
    private GradClip() {
    }

    /** The global L2 norm of the gradients of {@code params}. */
    public static double globalNorm(Collection<NDArray> params) {
        try (NDScope ignored = new NDScope()) {
            double sumSquares = 0;
            for (NDArray p : params) {
                NDArray g = p.getGradient();
                sumSquares += g.square().sum().getFloat();
            }
            return Math.sqrt(sumSquares);
        }
    }

    /** Clips in place and returns the norm before clipping; {@code maxNorm <= 0} disables clipping. */
    public static double clip(Collection<NDArray> params, double maxNorm) {
        double norm = globalNorm(params);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            try (NDScope ignored = new NDScope()) {
                for (NDArray p : params) {
                    p.getGradient().muli(scale);
                }
            }
        }
        return norm;
    }
}
