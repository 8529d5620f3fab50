package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the positions already processed, so decoding feeds one token per step.
 * Arrays are owned by the cache (closed when replaced or on {@link #close()}), never by an NDScope.
 */
public final class KvCache implements AutoCloseable {
    private final NDArray[] keys;   // per layer [B,kvHeads,S,headDim] (after rotary)
    private final NDArray[] values; // per layer [B,kvHeads,S,headDim]

    public KvCache(int layers) {
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /** Positions already cached (S). */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /** Appends k, v [B,kvHeads,T,headDim] for a layer and returns the full {k, v} [B,kvHeads,S+T,headDim]. */
    NDList append(int layer, NDArray k, NDArray v) {
        NDArray fullK = keys[layer] == null ? k.duplicate() : NDArrays.concat(new NDList(keys[layer], k), 2);
        NDArray fullV = values[layer] == null ? v.duplicate() : NDArrays.concat(new NDList(values[layer], v), 2);
        NDScope.unregister(fullK, fullV);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = fullK;
        values[layer] = fullV;
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
        }
    }
}
