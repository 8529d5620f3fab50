package salmonrun.activities.model.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import ai.djl.ndarray.NDArray;
import salmonrun.activities.model.ParameterStore;

/**
 * AdamW + warmup/cosine schedule + global-norm clipping over one parameter store: the update half of a
 * training step for loops written elsewhere (reward model, PPO). Pair with {@link Gradients#backward}.
 */
public final class Optimizer implements AutoCloseable {
    private final ParameterStore params;
    private final AdamW adamW;
    private final LrSchedule schedule;
    private final double clipNorm;

    public Optimizer(ParameterStore params, AdamW.Config config, LrSchedule schedule, double clipNorm) {
        this.params = params;
        this.adamW = new AdamW(params, config);
        this.schedule = schedule;
        this.clipNorm = clipNorm;
    }

    /** Result of one update: the gradient norm before clipping and the learning rate used. */
    public record StepInfo(long step, double gradNorm, double lr) {
    }

    /**
     * Clips the accumulated gradients, applies AdamW at the scheduled rate, zeroes the gradients. A non-finite
     * gradient norm skips the update (gradients zeroed, no step counted): one bad batch must not turn every
     * weight into NaN.
     */
    public StepInfo step() {
        Collection<NDArray> all = new ArrayList<>(params.asMap().values());
        double norm = GradClip.clip(all, clipNorm);
        long step = adamW.steps();
        double lr = schedule.at(step);
        if (!Double.isFinite(norm)) {
            adamW.zeroGradients();
            return new StepInfo(step, norm, 0);
        }
        adamW.step(lr);
        adamW.zeroGradients();
        return new StepInfo(step + 1, norm, lr);
    }

    /** Updates applied so far. */
    public long steps() {
        return adamW.steps();
    }

    public AdamW adamW() {
        return adamW;
    }

    public ParameterStore parameters() {
        return params;
    }

    /** Parameters of several stores (e.g. policy and value) for a shared global norm. */
    public static List<NDArray> union(ParameterStore... stores) {
        List<NDArray> out = new ArrayList<>();
        for (ParameterStore s : stores) {
            out.addAll(s.asMap().values());
        }
        return out;
    }

    @Override
    public void close() {
        adamW.close();
    }
}
