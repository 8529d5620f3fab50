package salmonrun.activities.model.train;

import java.nio.file.Path;

/**
 * Settings of a training run. {@code checkpointDir} (nullable) holds the newest checkpoint, replaced atomically
 * every {@code checkpointEvery} steps and at the end; a run started on a directory with training state resumes.
 */
public record TrainConfig(
        long steps,
        int accumulation,
        double lr,
        double minLr,
        long warmupSteps,
        double weightDecay,
        double beta1,
        double beta2,
        double clipNorm,
        long seed,
        long checkpointEvery,
        Path checkpointDir) {

    public TrainConfig {
        if (steps < 1 || accumulation < 1) {
            throw new IllegalArgumentException("steps and accumulation must be >= 1");
        }
    }

    /** Sensible defaults for small models: AdamW(0.9, 0.95, wd 0.1), clip 1.0, 10% warmup, cosine to lr/10. */
    public static TrainConfig of(long steps, double lr, long seed) {
        return new TrainConfig(steps, 1, lr, lr / 10, Math.max(1, steps / 10), 0.1, 0.9, 0.95, 1.0, seed, 0, null);
    }

    public TrainConfig withAccumulation(int a) {
        return new TrainConfig(steps, a, lr, minLr, warmupSteps, weightDecay, beta1, beta2, clipNorm, seed,
                checkpointEvery, checkpointDir);
    }

    public TrainConfig withCheckpoints(Path dir, long every) {
        return new TrainConfig(steps, accumulation, lr, minLr, warmupSteps, weightDecay, beta1, beta2, clipNorm, seed,
                every, dir);
    }

    public TrainConfig withSteps(long s) {
        return new TrainConfig(s, accumulation, lr, minLr, warmupSteps, weightDecay, beta1, beta2, clipNorm, seed,
                checkpointEvery, checkpointDir);
    }

    public LrSchedule schedule() {
        return new LrSchedule(lr, minLr, warmupSteps, steps);
    }

    public AdamW.Config adamW() {
        return new AdamW.Config(beta1, beta2, 1e-8, weightDecay);
    }
}
