package salmonrun.activities.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Random;

/**
 * A Llama decoder (RMSNorm, rotary positions, SwiGLU, grouped-query attention, optional tied embeddings) written
 * as plain NDArray operations over named parameters, so the same code trains tiny models and runs HF checkpoints.
 * Intermediate arrays attach to the manager of the input tokens: run each step in a sub-manager or NDScope.
 */
public class LlamaModel implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final ParameterStore parameters;
    private final Rotary rotary;
    private final LayerWeights[] layers;

    protected LlamaModel(ModelConfig config, NDManager manager, ParameterStore parameters) {
        this.config = config.validate();
        this.manager = manager;
        this.parameters = parameters;
        this.rotary = new Rotary(manager, config.headDim(), config.maxPositionEmbeddings(), config.ropeTheta());
        this.layers = new LayerWeights[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = LayerWeights.of(parameters, i);
        }
    }

    /** A freshly initialised decoder; identical weights for identical (config, seed). */
    public static LlamaModel random(ModelConfig config, long seed, Device device) {
        config.validate();
        NDManager m = NDManager.newBaseManager(device);
        ParameterStore p = new ParameterStore(m);
        Random random = new Random(seed);
        ParameterStore.decoderShapes(config).forEach((name, shape) ->
                p.put(ParameterStore.initialValue(name, shape, config.numHiddenLayers(), random)));
        return new LlamaModel(config, m, p);
    }

    /**
     * A decoder from host tensors (e.g. a checkpoint). Every expected tensor must be present with the shape the
     * config implies; extra tensors other than known extras are rejected. Messages name the tensor.
     */
    public static LlamaModel fromTensors(ModelConfig config, Map<String, HostTensor> tensors, Device device) {
        config.validate();
        checkShapes(config, tensors, ParameterStore.decoderShapes(config));
        NDManager m = NDManager.newBaseManager(device);
        ParameterStore p = new ParameterStore(m);
        ParameterStore.decoderShapes(config).keySet().forEach(name -> p.put(tensors.get(name)));
        return new LlamaModel(config, m, p);
    }

    static void checkShapes(ModelConfig config, Map<String, HostTensor> tensors, Map<String, long[]> expected) {
        expected.forEach((name, shape) -> {
            HostTensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("checkpoint is missing tensor " + name
                        + " (expected shape " + Arrays.toString(shape) + " from config.json)");
            }
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(t.shape())
                        + " but config.json implies " + Arrays.toString(shape));
            }
        });
    }

    public ModelConfig config() {
        return config;
    }

    public ParameterStore parameters() {
        return parameters;
    }

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The output embedding [V,H] (the input embedding when tied). */
    public NDArray outputEmbedding() {
        return config.tieWordEmbeddings() ? parameters.get("model.embed_tokens.weight") : parameters.get("lm_head.weight");
    }

    /**
     * Final hidden states (after the last RMSNorm) [B,T,H].
     *
     * @param tokens    [B,T] int64 token ids
     * @param positions [B,T] int64 position ids, or null for cachedLength..cachedLength+T-1 on every row
     * @param bias      [B|1,1,T,S] additive attention bias, or null for plain causal attention
     * @param cache     KV cache to read and extend, or null
     */
    public NDArray hidden(NDArray tokens, NDArray positions, NDArray bias, KvCache cache) {
        NDManager m = tokens.getManager();
        int t = (int) tokens.getShape().get(1);
        int past = cache == null ? 0 : (int) cache.length();
        if (past + t > rotary.maxPositions()) {
            throw new IllegalArgumentException("sequence of " + (past + t) + " positions exceeds max_position_embeddings "
                    + rotary.maxPositions());
        }
        if (positions == null) {
            positions = m.arange(past, past + t, 1, ai.djl.ndarray.types.DataType.INT64).reshape(1, t);
        }
        if (bias == null) {
            bias = AttentionMasks.causal(m, t, past);
        }
        NDList cosSin = rotary.lookup(positions);                                      // [B|1,1,T,hd] each
        NDArray x = Embedding.embedding(tokens, parameters.get("model.embed_tokens.weight"), SparseFormat.DENSE)
                .singletonOrThrow();                                                   // [B,T,H]
        float eps = (float) config.rmsNormEps();
        for (int i = 0; i < layers.length; i++) {
            LayerWeights w = layers[i];
            NDArray a = Attention.apply(RmsNorm.apply(x, w.inputNorm(), eps), w, config, rotary, cosSin, bias, cache, i);
            x = x.add(a);
            x = x.add(SwiGlu.apply(RmsNorm.apply(x, w.postNorm(), eps), w.gate(), w.up(), w.down()));
        }
        return RmsNorm.apply(x, parameters.get("model.norm.weight"), eps);            // [B,T,H]
    }

    /** hidden [B,T,H] (or [B,H]) -> logits [B,T,V] (or [B,V]). */
    public NDArray logits(NDArray hidden) {
        return Linear.linear(hidden, outputEmbedding()).singletonOrThrow();
    }

    /** Convenience: tokens [B,T] -> logits [B,T,V] with causal attention from position 0. */
    public NDArray logits(NDArray tokens, NDArray positions, NDArray bias, KvCache cache) {
        return logits(hidden(tokens, positions, bias, cache));
    }

    /** A fresh, empty KV cache for this model that grows as positions are added. */
    public KvCache newCache() {
        return new KvCache(config.numHiddenLayers());
    }

    /** A fresh, empty KV cache preallocated for {@code positions} positions. */
    public KvCache newCache(int positions) {
        return new KvCache(config.numHiddenLayers(), positions);
    }

    /** The tensors the optimizer updates. */
    public Collection<NDArray> trainable() {
        return parameters.asMap().values();
    }

    @Override
    public void close() {
        rotary.close();
        parameters.close();
        manager.close();
    }

    static Shape shape(long... dims) {
        return new Shape(dims);
    }
}
