package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Named trainable tensors (Hugging Face names), float32, owned by one NDManager and attached to autograd.
 * The optimizer, clipping and checkpoint IO all work on a store, so a decoder and a scalar head share them.
 */
public final class ParameterStore implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();

    public ParameterStore(NDManager manager) {
        this.manager = manager;
    }

    /** Shapes of every decoder tensor for a config, in checkpoint order. */
    public static Map<String, long[]> decoderShapes(ModelConfig c) {
        Map<String, long[]> s = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        s.put("model.embed_tokens.weight", new long[] {c.vocabSize(), h});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            s.put(l + "input_layernorm.weight", new long[] {h});
            s.put(l + "self_attn.q_proj.weight", new long[] {q, h});
            s.put(l + "self_attn.k_proj.weight", new long[] {kv, h});
            s.put(l + "self_attn.v_proj.weight", new long[] {kv, h});
            s.put(l + "self_attn.o_proj.weight", new long[] {h, q});
            s.put(l + "post_attention_layernorm.weight", new long[] {h});
            s.put(l + "mlp.gate_proj.weight", new long[] {c.intermediateSize(), h});
            s.put(l + "mlp.up_proj.weight", new long[] {c.intermediateSize(), h});
            s.put(l + "mlp.down_proj.weight", new long[] {h, c.intermediateSize()});
        }
        s.put("model.norm.weight", new long[] {h});
        if (!c.tieWordEmbeddings()) {
            s.put("lm_head.weight", new long[] {c.vocabSize(), h});
        }
        return s;
    }

    /**
     * Deterministic initialisation from a seed on the host (independent of the engine's RNG): norms are ones,
     * matrices N(0, 0.02), output projections of residual branches scaled by 1/sqrt(2 * layers) (GPT-2).
     */
    public static HostTensor initialValue(String name, long[] shape, int layers, Random random) {
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] data = new float[n];
        if (name.endsWith("norm.weight")) {
            Arrays.fill(data, 1f);
        } else {
            double std = 0.02;
            if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
                std /= Math.sqrt(2.0 * layers);
            }
            for (int i = 0; i < n; i++) {
                data[i] = (float) (random.nextGaussian() * std);
            }
        }
        return new HostTensor(name, shape, data);
    }

    /** Adds (or replaces) a tensor from host memory and attaches a gradient to it. */
    public NDArray put(HostTensor t) {
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        a.setRequiresGradient(true);
        NDArray old = tensors.put(t.name(), a);
        if (old != null) {
            old.close();
        }
        return a;
    }

    /** Overwrites an existing tensor's values in place (views held elsewhere stay valid); checks the shape. */
    public void copyFrom(HostTensor t) {
        NDArray a = get(t.name());
        if (!a.getShape().equals(new Shape(t.shape()))) {
            throw new IllegalArgumentException("tensor " + t.name() + " has shape " + new Shape(t.shape())
                    + " but the model has " + a.getShape());
        }
        a.set(t.data());
    }

    /** The tensor called {@code name}; throws naming it when absent. */
    public NDArray get(String name) {
        NDArray a = tensors.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return a;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Name -> tensor, in insertion (checkpoint) order; read-only. */
    public Map<String, NDArray> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Copies one tensor to host memory. */
    public HostTensor toHost(String name) {
        NDArray a = get(name);
        return new HostTensor(name, a.getShape().getShape(), a.toFloatArray());
    }

    /** Total number of scalars. */
    public long count() {
        return tensors.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        tensors.values().forEach(NDArray::close);
        tensors.clear();
    }
}
