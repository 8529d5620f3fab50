package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

/**
 * Keys and values of every layer for the positions already processed, so decoding feeds one token per step.
 * With a capacity the buffers are allocated once and each step writes its positions in place (a decoding step
 * copies T positions, not the whole cache); without one they grow by concatenation. Buffers are owned by the
 * cache (closed when replaced or on {@link #close()}), never by an NDScope. Use under {@link NoGrad}.
 */
public final class KvCache implements AutoCloseable {
    private final NDArray[] keys;   // per layer [B,kvHeads,capacity|S,headDim] (after rotary)
    private final NDArray[] values; // per layer [B,kvHeads,capacity|S,headDim]
    private final long[] lengths;   // per layer: positions filled
    private final int capacity;     // 0 = grow by concatenation

    /** A cache that grows by concatenation. */
    public KvCache(int layers) {
        this(layers, 0);
    }

    /** A cache preallocated for {@code capacity} positions (0 = grow by concatenation). */
    public KvCache(int layers, int capacity) {
        keys = new NDArray[layers];
        values = new NDArray[layers];
        lengths = new long[layers];
        this.capacity = capacity;
    }

    /** Positions already cached (S). */
    public long length() {
        return lengths[0];
    }

    /** Appends k, v [B,kvHeads,T,headDim] for a layer and returns the full {k, v} [B,kvHeads,S+T,headDim]. */
    NDList append(int layer, NDArray k, NDArray v) {
        long t = k.getShape().get(2);
        long filled = lengths[layer] + t;
        if (capacity > 0) {
            if (filled > capacity) {
                throw new IllegalStateException("KV cache of " + capacity + " positions cannot hold " + filled);
            }
            if (keys[layer] == null) {
                keys[layer] = k.getManager().zeros(k.getShape().slice(0, 2).add(capacity, k.getShape().get(3)));
                values[layer] = v.getManager().zeros(v.getShape().slice(0, 2).add(capacity, v.getShape().get(3)));
                NDScope.unregister(keys[layer], values[layer]);
            }
            NDIndex written = new NDIndex(":, :, {}:{}", lengths[layer], filled);
            keys[layer].set(written, k);
            values[layer].set(written, v);
            lengths[layer] = filled;
            NDIndex visible = new NDIndex(":, :, :{}", filled);
            return new NDList(keys[layer].get(visible), values[layer].get(visible));
        }
        NDArray fullK = keys[layer] == null ? k.duplicate() : NDArrays.concat(new NDList(keys[layer], k), 2);
        NDArray fullV = values[layer] == null ? v.duplicate() : NDArrays.concat(new NDList(values[layer], v), 2);
        NDScope.unregister(fullK, fullV);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = fullK;
        values[layer] = fullV;
        lengths[layer] = filled;
        return new NDList(fullK, fullV);
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
                keys[i] = null;
                values[i] = null;
            }
            lengths[i] = 0;
        }
    }
}
