package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Embedding;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Rotary position embeddings in the Hugging Face Llama convention ("rotate_half": the head dimension is split
 * into two halves, not interleaved), with cos/sin tables precomputed for every position.
 */
public final class Rotary implements AutoCloseable {
    private final NDArray cosTable; // [maxPositions, headDim]
    private final NDArray sinTable; // [maxPositions, headDim]
    private final NDArray rotation; // [headDim, headDim]: x.matMul(rotation) == rotate_half(x)

    /** Builds the tables exactly as HF does: float32 inv_freq, float32 position * inv_freq. */
    public Rotary(NDManager manager, int headDim, int maxPositions, double theta) {
        int half = headDim / 2;
        float[] cos = new float[maxPositions * headDim];
        float[] sin = new float[maxPositions * headDim];
        for (int i = 0; i < half; i++) {
            float invFreq = (float) (1.0 / Math.pow(theta, (float) (2 * i) / headDim));
            for (int p = 0; p < maxPositions; p++) {
                float angle = (float) p * invFreq;
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * headDim + i] = c;
                cos[p * headDim + i + half] = c;
                sin[p * headDim + i] = s;
                sin[p * headDim + i + half] = s;
            }
        }
        cosTable = manager.create(cos, new Shape(maxPositions, headDim));
        sinTable = manager.create(sin, new Shape(maxPositions, headDim));
        // rotate_half(x) = concat(-x[half:], x[:half]) as one signed permutation matrix: one exact matMul instead of
        // split + neg + concat (three engine calls, which dominate the cost of a decoding step).
        float[] r = new float[headDim * headDim];
        for (int j = 0; j < half; j++) {
            r[(j + half) * headDim + j] = -1f;
            r[j * headDim + j + half] = 1f;
        }
        rotation = manager.create(r, new Shape(headDim, headDim));
    }

    /** positions [B,T] int64 -> {cos, sin} each [B,1,T,headDim], ready to broadcast over heads. */
    public NDList lookup(NDArray positions) {
        NDArray cos = Embedding.embedding(positions, cosTable, SparseFormat.DENSE).singletonOrThrow();
        NDArray sin = Embedding.embedding(positions, sinTable, SparseFormat.DENSE).singletonOrThrow();
        return new NDList(cos.expandDims(1), sin.expandDims(1));
    }

    /** x [B,heads,T,headDim] -> x*cos + rotate_half(x)*sin, same shape. */
    public NDArray apply(NDArray x, NDList cosSin) {
        return x.mul(cosSin.get(0)).add(x.matMul(rotation).mul(cosSin.get(1)));
    }

    public int maxPositions() {
        return (int) cosTable.getShape().get(0);
    }

    @Override
    public void close() {
        cosTable.close();
        sinTable.close();
        rotation.close();
    }
}
