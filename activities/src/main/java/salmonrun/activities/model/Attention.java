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
        NDArray q = splitHeads(Linear.linear(x, w.q()).singletonOrThrow(), b, t, heads, hd);     // [B,heads,T,hd]
        NDArray k = splitHeads(Linear.linear(x, w.k()).singletonOrThrow(), b, t, kvHeads, hd);   // [B,kvHeads,T,hd]
        NDArray v = splitHeads(Linear.linear(x, w.v()).singletonOrThrow(), b, t, kvHeads, hd);   // [B,kvHeads,T,hd]
        q = rotary.apply(q, cosSin);
        k = rotary.apply(k, cosSin);
        if (cache != null) {
            NDList full = cache.append(layer, k, v);                          // [B,kvHeads,S,hd]
            k = full.get(0);
            v = full.get(1);
        }
        long s = k.getShape().get(2);
        int groups = c.groups();
        // Grouped-query attention without copying keys and values per group: the `groups` query heads that share a
        // kv head are stacked along the position axis, so one matMul per kv head serves the whole group.
        NDArray scores = q.mul(1.0f / (float) Math.sqrt(hd))                 // scaling q [B,heads,T,hd], not the
                .reshape(b, kvHeads, groups * t, hd)                          // larger scores, saves a pass
                .matMul(k.transpose(0, 1, 3, 2))                              // [B,kvHeads,groups*T,S]
                .reshape(b, heads, t, s)                                      // [B,heads,T,S]
                .add(bias);
        NDArray probs = scores.softmax(-1);                                   // [B,heads,T,S]
        NDArray out = probs.reshape(b, kvHeads, groups * t, s).matMul(v)     // [B,kvHeads,groups*T,hd]
                .reshape(b, heads, t, hd);                                    // [B,heads,T,hd]
        if (t > 1) {
            out = out.transpose(0, 2, 1, 3);                                  // [B,T,heads,hd]
        }
        return Linear.linear(out.reshape(b, t, (long) heads * hd), w.o()).singletonOrThrow();   // [B,T,H]
    }

    /**
     * [B,T,n*hd] -> [B,n,T,hd]. With one position (a decoding step) the transpose would only move a dimension of
     * size 1, so a reshape gives the same layout and saves an engine call per tensor and layer.
     */
    private static NDArray splitHeads(NDArray projected, long b, long t, int n, int hd) {
        return t == 1 ? projected.reshape(b, n, 1, hd) : projected.reshape(b, t, n, hd).transpose(0, 2, 1, 3);
    }
}
