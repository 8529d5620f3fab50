package salmonrun.activities.salmon;

/** The reference's rule-based reward terms added to the reward model's score during RL. */
public final class SymbolicRewards {
    private SymbolicRewards() {}

    /**
     * Length bonus {@code scale * min(lengthTokens / maxTokens * multiplier, cap)}. The multiplier carries the
     * sign (reference: +1 general, -0.4 reasoning), and like the reference there is no lower clamp, so a
     * negative multiplier gives a penalty growing with length.
     */
    public static double lengthBonus(int lengthTokens, int maxTokens, double multiplier, double scale, double cap) {
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
        }
        return scale * Math.min((double) lengthTokens / maxTokens * multiplier, cap);
    }

    /** The penalty for an answer that never reached the end-of-turn marker (0 when finished). */
    public static double unfinishedPenalty(boolean finished, double penalty) {
        return finished ? 0.0 : penalty;
    }
}
