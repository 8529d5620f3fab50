package salmonrun.activities.model.train;

/** Linear warmup to the peak rate, then cosine decay to the minimum rate at {@code totalSteps}. */
public record LrSchedule(double peak, double min, long warmupSteps, long totalSteps) {

    /** Learning rate for optimizer step {@code step} (0-based). */
    public double at(long step) {
        if (warmupSteps > 0 && step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return min;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress));
    }

    /** A constant rate (no warmup, no decay). */
    public static LrSchedule constant(double lr) {
        return new LrSchedule(lr, lr, 0, Long.MAX_VALUE);
    }
}
