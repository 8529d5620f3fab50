package salmonrun.activities.salmon;

import java.util.Arrays;

/**
 * Which prompts each PPO step uses: every epoch is a fresh seeded permutation of the pool, cut into
 * consecutive batches (an incomplete last batch is dropped, as the reference's data loader does). The order is
 * a pure function of (pool size, batch size, seed), so a run resumed at step s uses exactly the prompts the
 * uninterrupted run would have used and never retrains on prompts of steps before s.
 */
public final class PromptSchedule {
    private final int poolSize;
    private final int batchSize;
    private final int epochs;
    private final long seed;

    public PromptSchedule(int poolSize, int batchSize, int epochs, long seed) {
        if (batchSize <= 0 || epochs <= 0) {
            throw new IllegalArgumentException("batchSize and epochs must be positive");
        }
        if (poolSize < batchSize) {
            throw new IllegalArgumentException("the prompt pool has " + poolSize + " prompts, fewer than one rollout batch of "
                    + batchSize + " (rolloutBatchSize)");
        }
        this.poolSize = poolSize;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.seed = seed;
    }

    /** Full batches per pass over the pool. */
    public int stepsPerEpoch() {
        return poolSize / batchSize;
    }

    /** Steps over all epochs. */
    public int totalSteps() {
        return stepsPerEpoch() * epochs;
    }

    /** Pool indices of the prompts of a 0-based step. */
    public int[] promptsForStep(int step) {
        if (step < 0 || step >= totalSteps()) {
            throw new IllegalArgumentException("step " + step + " is outside 0.." + (totalSteps() - 1));
        }
        int epoch = step / stepsPerEpoch();
        int within = step % stepsPerEpoch();
        int[] order = permutation(epoch);
        return Arrays.copyOfRange(order, within * batchSize, (within + 1) * batchSize);
    }

    private int[] permutation(int epoch) {
        int[] order = new int[poolSize];
        for (int i = 0; i < poolSize; i++) {
            order[i] = i;
        }
        new SplitMixRandom(seed * 0x9E3779B97F4A7C15L + epoch).shuffle(order);
        return order;
    }
}
