package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Additive attention biases (0 = visible, {@link #HIDDEN} = masked) and matching position ids. */
public final class AttentionMasks {
    /** Added to masked scores; finite so rows that see nothing (padding queries) stay NaN-free. */
    public static final float HIDDEN = -1e9f;

    private AttentionMasks() {
    }

    /** Causal bias [1,1,T,past+T]: query i sees keys 0..past+i. */
    public static NDArray causal(NDManager m, int t, int past) {
        int s = past + t;
        float[] bias = new float[t * s];
        for (int i = 0; i < t; i++) {
            for (int j = past + i + 1; j < s; j++) {
                bias[i * s + j] = HIDDEN;
            }
        }
        return m.create(bias, new Shape(1, 1, t, s));
    }

    /**
     * Causal bias [B,1,T,past+T] for left-padded rows: row b's first {@code padding[b]} key positions are padding
     * and hidden from every query.
     */
    public static NDArray leftPadded(NDManager m, int[] padding, int t, int past) {
        int s = past + t;
        float[] bias = new float[padding.length * t * s];
        for (int b = 0; b < padding.length; b++) {
            for (int i = 0; i < t; i++) {
                int row = (b * t + i) * s;
                for (int j = 0; j < s; j++) {
                    if (j < padding[b] || j > past + i) {
                        bias[row + j] = HIDDEN;
                    }
                }
            }
        }
        return m.create(bias, new Shape(padding.length, 1, t, s));
    }

    /** Position ids [B,T] int64 for positions past..past+T-1 of left-padded rows (padding counted as 0). */
    public static NDArray positions(NDManager m, int[] padding, int t, int past) {
        long[] pos = new long[padding.length * t];
        for (int b = 0; b < padding.length; b++) {
            for (int i = 0; i < t; i++) {
                pos[b * t + i] = Math.max(0, past + i - padding[b]);
            }
        }
        return m.create(pos, new Shape(padding.length, t));
    }
}
