package salmonrun.activities.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import salmonrun.activities.model.HostTensor;
import salmonrun.activities.model.ParameterStore;

/**
 * AdamW (Loshchilov &amp; Hutter) with decoupled weight decay, the same update as {@code torch.optim.AdamW}.
 * Tensors with fewer than two dimensions (RMSNorm weights, biases) are not decayed.
 */
public final class AdamW implements AutoCloseable {

    /** Hyper-parameters; the learning rate comes per step from the schedule. */
    public record Config(double beta1, double beta2, double eps, double weightDecay) {
        public static Config defaults() {
            return new Config(0.9, 0.95, 1e-8, 0.1);
        }
    }

    private final ParameterStore params;
    private final Config config;
    private final NDManager manager;
    private final Map<String, NDArray> exp = new LinkedHashMap<>();   // first moments, same shapes as params
    private final Map<String, NDArray> expSq = new LinkedHashMap<>(); // second moments
    private long steps;

    public AdamW(ParameterStore params, Config config) {
        this.params = params;
        this.config = config;
        this.manager = params.manager().newSubManager();
        params.asMap().forEach((name, p) -> {
            exp.put(name, manager.zeros(p.getShape()));
            expSq.put(name, manager.zeros(p.getShape()));
        });
    }

    /** Number of updates applied so far (bias correction uses steps + 1 for the next one). */
    public long steps() {
        return steps;
    }

    /** Applies one update from the current gradients with learning rate {@code lr}. */
    public void step(double lr) {
        steps++;
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        double bc1 = 1 - Math.pow(config.beta1(), steps);
        double bc2 = 1 - Math.pow(config.beta2(), steps);
        try (NDScope ignored = new NDScope()) {
            for (Map.Entry<String, NDArray> e : params.asMap().entrySet()) {
                NDArray p = e.getValue();
                NDArray g = p.getGradient();
                NDArray m = exp.get(e.getKey());
                NDArray v = expSq.get(e.getKey());
                m.muli(b1).addi(g.mul(1 - b1));
                v.muli(b2).addi(g.square().muli(1 - b2));
                NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi((float) config.eps());
                if (config.weightDecay() > 0 && p.getShape().dimension() >= 2) {
                    p.muli((float) (1 - lr * config.weightDecay()));
                }
                p.subi(m.div(denom).muli((float) (lr / bc1)));
            }
        }
    }

    /** Sets every gradient of the store to zero (after a step, before the next accumulation). */
    public void zeroGradients() {
        zeroGradients(params);
    }

    /** Sets every gradient of a store to zero. */
    public static void zeroGradients(ParameterStore store) {
        for (NDArray p : store.asMap().values()) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    /** Moments as host tensors named {@code exp_avg.<param>} and {@code exp_avg_sq.<param>}. */
    public Map<String, HostTensor> stateTensors() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        exp.forEach((n, a) -> out.put("exp_avg." + n, new HostTensor("exp_avg." + n, a.getShape().getShape(), a.toFloatArray())));
        expSq.forEach((n, a) -> out.put("exp_avg_sq." + n,
                new HostTensor("exp_avg_sq." + n, a.getShape().getShape(), a.toFloatArray())));
        return out;
    }

    /** Restores moments and the step count written by {@link #stateTensors()}; names the missing tensor if any. */
    public void loadState(Map<String, HostTensor> state, long steps) {
        for (String n : params.asMap().keySet()) {
            restore(exp, n, state.get("exp_avg." + n), "exp_avg." + n);
            restore(expSq, n, state.get("exp_avg_sq." + n), "exp_avg_sq." + n);
        }
        this.steps = steps;
    }

    private void restore(Map<String, NDArray> target, String param, HostTensor t, String name) {
        NDArray current = target.get(param);
        if (t == null) {
            throw new IllegalArgumentException("optimizer state is missing tensor " + name);
        }
        if (!new Shape(t.shape()).equals(current.getShape())) {
            throw new IllegalArgumentException("optimizer state tensor " + name + " has shape "
                    + new Shape(t.shape()) + " but the parameter has " + current.getShape());
        }
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        current.close();
        target.put(param, a);
    }

    @Override
    public void close() {
        manager.close();
    }
}
