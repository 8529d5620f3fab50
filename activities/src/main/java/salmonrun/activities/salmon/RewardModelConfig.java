package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Set;

import static salmonrun.activities.salmon.ConfigOverrides.inRange;
import static salmonrun.activities.salmon.ConfigOverrides.nonNegative;
import static salmonrun.activities.salmon.ConfigOverrides.positive;
import static salmonrun.activities.salmon.ConfigOverrides.require;

/**
 * Settings of instructable reward-model training (reference P10 fine-tune stage as defaults).
 *
 * @param seed                 data shuffling, held-out split and initialisation of the reward head
 * @param learningRate         peak AdamW learning rate (reference 3e-5)
 * @param epochs               passes over the training pairs (reference 1)
 * @param batchPairs           pairs per optimizer step (reference 64)
 * @param microBatchPairs      pairs per forward/backward pass; gradients accumulate up to batchPairs
 * @param warmupRatio          fraction of steps with linear warm-up (reference 0.03)
 * @param schedule             learning-rate schedule after warm-up: cosine or constant
 * @param maxGradNorm          global-norm gradient clipping (reference trainer default 1.0); 0 disables
 * @param weightDecay          AdamW weight decay (reference 0)
 * @param maxTokens            total prompt length (reference model_max_length 1280)
 * @param maxInstructionTokens instruction cap, kept from its end (reference 128)
 * @param maxResponseTokens    response cap, kept from its beginning (reference 768)
 * @param heldOutFraction      share of pairs (by instruction) held out for pairwise accuracy
 * @param checkpointEvery      optimizer steps between checkpoints
 * @param maxSteps             stop after this many optimizer steps (0 = run all epochs)
 */
public record RewardModelConfig(long seed, double learningRate, int epochs, int batchPairs, int microBatchPairs,
                                double warmupRatio, String schedule, double maxGradNorm, double weightDecay,
                                int maxTokens, int maxInstructionTokens, int maxResponseTokens,
                                double heldOutFraction, int checkpointEvery, int maxSteps) {

    static final Set<String> SCHEDULES = Set.of("cosine", "constant");

    /** The reference settings. */
    public static RewardModelConfig defaults() {
        return new RewardModelConfig(42, 3e-5, 1, 64, 8, 0.03, "cosine", 1.0, 0.0,
                1280, 128, 768, 0.1, 20, 0);
    }

    /** Tiny settings for tests and CI (a few steps on tiny models). */
    public static RewardModelConfig ci() {
        return new RewardModelConfig(42, 1e-3, 1, 4, 4, 0.0, "constant", 1.0, 0.0,
                160, 32, 64, 0.25, 2, 4);
    }

    /** The defaults with JSON overrides applied, validated. */
    public static RewardModelConfig fromJson(JsonNode overrides) {
        return ConfigOverrides.apply(defaults(), overrides, RewardModelConfig.class).validated();
    }

    /** This config with overrides applied, validated. */
    public RewardModelConfig with(Map<String, ?> overrides) {
        return ConfigOverrides.apply(this, overrides, RewardModelConfig.class).validated();
    }

    /** Returns this config or throws {@link InvalidConfigException} naming the first bad field. */
    public RewardModelConfig validated() {
        positive(learningRate, "learningRate");
        positive(epochs, "epochs");
        positive(batchPairs, "batchPairs");
        positive(microBatchPairs, "microBatchPairs");
        require(batchPairs % microBatchPairs == 0, "microBatchPairs",
                "must divide batchPairs=" + batchPairs + ", got " + microBatchPairs);
        inRange(warmupRatio, 0, 1, "warmupRatio");
        require(schedule != null && SCHEDULES.contains(schedule), "schedule",
                "must be one of " + SCHEDULES + ", got " + schedule);
        nonNegative(maxGradNorm, "maxGradNorm");
        nonNegative(weightDecay, "weightDecay");
        positive(maxTokens, "maxTokens");
        positive(maxInstructionTokens, "maxInstructionTokens");
        positive(maxResponseTokens, "maxResponseTokens");
        require(heldOutFraction >= 0 && heldOutFraction < 1, "heldOutFraction",
                "must be in [0, 1), got " + heldOutFraction);
        positive(checkpointEvery, "checkpointEvery");
        require(maxSteps >= 0, "maxSteps", "must be >= 0 (0 = all epochs), got " + maxSteps);
        return this;
    }

    /** The prompt token budgets. */
    public RewardModelPrompt.Limits limits() {
        return new RewardModelPrompt.Limits(maxTokens, maxInstructionTokens, maxResponseTokens);
    }
}
