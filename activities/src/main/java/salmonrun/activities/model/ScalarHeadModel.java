package salmonrun.activities.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A decoder with a scalar head ({@code score.weight} [1,H], as HF's LlamaForSequenceClassification with one
 * label): reward models score the hidden state of the last real token, value models read every position.
 * The head is saved with the checkpoint; a plain decoder checkpoint gets a zero-initialised head.
 */
public final class ScalarHeadModel extends LlamaModel {
    public static final String HEAD = "score.weight";
    public static final String ARCHITECTURE = "LlamaForSequenceClassification";

    private ScalarHeadModel(ModelConfig config, NDManager manager, ParameterStore parameters) {
        super(config, manager, parameters);
    }

    /** Random decoder and a zero head. */
    public static ScalarHeadModel random(ModelConfig config, long seed, Device device) {
        NDManager m = NDManager.newBaseManager(device);
        ParameterStore p = new ParameterStore(m);
        Random random = new Random(seed);
        ParameterStore.decoderShapes(config).forEach((name, shape) ->
                p.put(ParameterStore.initialValue(name, shape, config.numHiddenLayers(), random)));
        p.put(new HostTensor(HEAD, new long[] {1, config.hiddenSize()}, new float[config.hiddenSize()]));
        return new ScalarHeadModel(config, m, p);
    }

    /** From checkpoint tensors; {@code score.weight} is used when present and zero-initialised otherwise. */
    public static ScalarHeadModel fromTensors(ModelConfig config, Map<String, HostTensor> tensors, Device device) {
        Map<String, long[]> shapes = new LinkedHashMap<>(ParameterStore.decoderShapes(config));
        LlamaModel.checkShapes(config, tensors, shapes);
        HostTensor head = tensors.get(HEAD);
        long[] headShape = {1, config.hiddenSize()};
        if (head == null) {
            head = new HostTensor(HEAD, headShape, new float[config.hiddenSize()]);
        } else if (!java.util.Arrays.equals(head.shape(), headShape)) {
            throw new IllegalArgumentException("tensor " + HEAD + " has shape " + java.util.Arrays.toString(head.shape())
                    + " but a scalar head needs " + java.util.Arrays.toString(headShape));
        }
        NDManager m = NDManager.newBaseManager(device);
        ParameterStore p = new ParameterStore(m);
        shapes.keySet().forEach(name -> p.put(tensors.get(name)));
        p.put(head);
        return new ScalarHeadModel(config, m, p);
    }

    /** hidden [B,T,H] -> per-position scalars [B,T] (value model). */
    public NDArray values(NDArray hidden) {
        NDArray w = parameters().get(HEAD);                       // [1,H]
        return ai.djl.nn.core.Linear.linear(hidden, w).singletonOrThrow().squeeze(-1);
    }

    /**
     * Scalar of the last real token of each right-padded row: tokens [B,T] int64, lengths[b] real tokens -> [B].
     */
    public NDArray scores(NDArray tokens, int[] lengths) {
        NDArray values = values(hidden(tokens, null, null, null)); // [B,T]
        return lastOf(values, lengths);
    }

    /** values [B,T] -> values[b, lengths[b]-1] as [B]. */
    public static NDArray lastOf(NDArray values, int[] lengths) {
        long[] idx = new long[lengths.length];
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 1) {
                throw new IllegalArgumentException("row " + i + " has no tokens to score");
            }
            idx[i] = lengths[i] - 1;
        }
        NDArray index = values.getManager().create(idx, new Shape(lengths.length, 1)); // [B,1]
        return values.gather(index, 1).squeeze(1);
    }

    static DataType int64() {
        return DataType.INT64;
    }
}
