package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/** Llama's gated MLP: {@code down(silu(gate(x)) * up(x))}. */
public final class SwiGlu {
    private SwiGlu() {
    }

    /** x [B,T,H]; gate, up [I,H]; down [H,I] -> [B,T,H]. */
    public static NDArray apply(NDArray x, NDArray gate, NDArray up, NDArray down) {
        NDArray g = Linear.linear(x, gate).singletonOrThrow();          // [B,T,I]
        NDArray u = Linear.linear(x, up).singletonOrThrow();            // [B,T,I]
        NDArray silu = g.mul(Activation.sigmoid(g));                    // [B,T,I]
        return Linear.linear(silu.mul(u), down).singletonOrThrow();     // [B,T,H]
    }
}
