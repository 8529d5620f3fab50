package salmonrun.activities.salmon;

/** Linear warm-up then cosine decay to 0 (or constant), as a pure function of the step. */
public final class LearningRate {
    private LearningRate() {}

    /**
     * The learning rate for 0-based {@code step} of {@code totalSteps}: {@code peak * (step+1)/warmup} during warm-up,
     * then {@code peak * 0.5 * (1 + cos(pi * progress))} for cosine or {@code peak} for constant.
     */
    public static double at(String schedule, double peak, int warmupSteps, int totalSteps, int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if ("constant".equals(schedule)) {
            return peak;
        }
        int decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
