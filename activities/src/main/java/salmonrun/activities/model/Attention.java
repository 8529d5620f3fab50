package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;

/** Causal grouped-query self-attention of one layer, with rotary positions and an optional KV cache. */
public final class Attention {
    private Attention() {
    }

    /**
     * x [B,T,H] -> [B,T,H]. {@code bias} [B|1,1,T,S] is added to the scores (0 = visible, large negative =
     * hidden) and already encodes causality and padding; S = cached positions + T.
     */
    public static NDArray apply(NDArray x, LayerWeights w, ModelConfig c, Rotary rotary, NDList cosSin, NDArray bias,
                                KvCache cache, int layer) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int hd = c.headDim();
        int heads = c.numAttentionHeads();
        int kvHeads = c.numKeyValueHeads();
        NDArray q = Linear.linear(x, w.q()).singletonOrThrow()                 // [B,T,heads*hd]
                .reshape(b, t, heads, hd).transpose(0, 2, 1, 3);              // [B,heads,T,hd]
        NDArray k = Linear.linear(x, w.k()).singletonOrThrow()
                .reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);            // [B,kvHeads,T,hd]
        NDArray v = Linear.linear(x, w.v()).singletonOrThrow()
                .reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);            // [B,kvHeads,T,hd]
        q = rotary.apply(q, cosSin);
        k = rotary.apply(k, cosSin);
        if (cache != null) {
            NDList full = cache.append(layer, k, v);                          // [B,kvHeads,S,hd]
            k = full.get(0);
            v = full.get(1);
        }
        if (c.groups() > 1) {                                                 // share each kv head with a group
            long s = k.getShape().get(2);
            k = k.expandDims(2).repeat(2, c.groups()).reshape(b, heads, s, hd);   // [B,heads,S,hd]
            v = v.expandDims(2).repeat(2, c.groups()).reshape(b, heads, s, hd);
        }
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2))                  // [B,heads,T,S]
                .mul(1.0f / (float) Math.sqrt(hd))
                .add(bias);
        NDArray probs = scores.softmax(-1);                                   // [B,heads,T,S]
        NDArray out = probs.matMul(v)                                         // [B,heads,T,hd]
                .transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);      // [B,T,heads*hd]
        return Linear.linear(out, w.o()).singletonOrThrow();                  // [B,T,H]
    }
}
