package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static salmonrun.activities.salmon.ConfigOverrides.finite;
import static salmonrun.activities.salmon.ConfigOverrides.inRange;
import static salmonrun.activities.salmon.ConfigOverrides.nonNegative;
import static salmonrun.activities.salmon.ConfigOverrides.positive;
import static salmonrun.activities.salmon.ConfigOverrides.require;

/**
 * Settings of PPO with the instructable reward model (reference P12 as defaults; salmon-method.md).
 *
 * @param seed                    prompt order, sampling and principle draws
 * @param rolloutBatchSize        prompts per PPO step (reference 576)
 * @param stepBatchSize           rollouts per optimizer step (reference 288)
 * @param microBatchSize          sequences per forward/backward pass (memory); must divide stepBatchSize
 * @param ppoEpochs               passes over each rollout batch (reference noptepochs 2)
 * @param epochs                  passes over the prompt pool (reference 2)
 * @param maxSteps                stop after this many PPO steps (0 = run all epochs)
 * @param learningRate            peak AdamW learning rate (reference 2e-5)
 * @param warmupSteps             linear warm-up, in PPO steps (reference 5)
 * @param schedule                cosine or constant, stepped once per PPO step
 * @param maxGradNorm             global-norm clipping of policy and value gradients (reference 1.0); 0 disables
 * @param temperature             sampling temperature; log-probs use logits / temperature (reference 0.7)
 * @param topP                    nucleus sampling (reference 1.0)
 * @param topK                    top-k sampling, 0 = off (reference 0)
 * @param queryMaxTokens          longer policy queries are dropped (reference 256)
 * @param responseMaxTokens       sampled tokens per response (reference 1024)
 * @param klCoef                  per-token KL penalty coefficient (reference 0.01)
 * @param klEstimator             k1 (clamped at 0, reference) or k3
 * @param gamma                   GAE discount (reference 1)
 * @param lambda                  GAE lambda (reference 1)
 * @param clipRange               policy ratio clip (reference 0.2)
 * @param valueClipRange          value clip (reference 0.2)
 * @param valueCoef               value-loss coefficient (reference 0.1)
 * @param rewardScale             multiplies the shaped rewards (reference 10)
 * @param unfinishedPenalty       added to the score when the end-of-turn marker is missing (reference -6)
 * @param lengthBonusScale        length bonus scale (reference 5)
 * @param lengthBonusCap          upper cap of len/max*multiplier (reference 0.8)
 * @param lengthBonusMultipliers  per prompt type when the prompt has none (reference 0: +1, 1: -0.4)
 * @param principlesPerPrompt     RL principles sampled per prompt after the intervention ones (reference 3)
 * @param boosts                  prompt-type weight boosts (reference +128 rules)
 * @param rewardMaxTokens         reward-model prompt length
 * @param rewardMaxInstructionTokens instruction cap inside the reward-model prompt
 * @param rewardMaxResponseTokens response cap inside the reward-model prompt
 * @param checkpointEvery         PPO steps between checkpoints (reference 10)
 * @param stopMarker              end-of-turn marker that finishes a response
 * @param whitenEpsilon           epsilon of advantage whitening
 */
public record PpoConfig(long seed, int rolloutBatchSize, int stepBatchSize, int microBatchSize, int ppoEpochs,
                        int epochs, int maxSteps, double learningRate, int warmupSteps, String schedule,
                        double maxGradNorm, double temperature, double topP, int topK,
                        int queryMaxTokens, int responseMaxTokens, double klCoef, String klEstimator,
                        double gamma, double lambda, double clipRange, double valueClipRange, double valueCoef,
                        double rewardScale, double unfinishedPenalty, double lengthBonusScale,
                        double lengthBonusCap, Map<Integer, Double> lengthBonusMultipliers,
                        int principlesPerPrompt, List<WeightBoost> boosts, int rewardMaxTokens,
                        int rewardMaxInstructionTokens, int rewardMaxResponseTokens, int checkpointEvery,
                        String stopMarker, double whitenEpsilon) {

    static final Set<String> KL_ESTIMATORS = Set.of("k1", "k3");

    public PpoConfig {
        lengthBonusMultipliers = lengthBonusMultipliers == null ? null : Map.copyOf(lengthBonusMultipliers);
        boosts = boosts == null ? null : List.copyOf(boosts);
    }

    /** The reference settings. */
    public static PpoConfig defaults() {
        return new PpoConfig(42, 576, 288, 8, 2, 2, 0, 2e-5, 5, "cosine", 1.0, 0.7, 1.0, 0, 256, 1024,
                0.01, "k1", 1.0, 1.0, 0.2, 0.2, 0.1, 10.0, -6.0, 5.0, 0.8,
                Map.of(0, 1.0, 1, -0.4, 2, 1.0), 3, WeightBoost.referenceDefaults(), 1280, 128, 768, 10,
                ChatFormat.END_OF_TURN, 1e-8);
    }

    /** Tiny settings for tests and CI (a few steps on tiny models). */
    public static PpoConfig ci() {
        return defaults().with(Map.of("rolloutBatchSize", 8, "stepBatchSize", 4, "microBatchSize", 4,
                "maxSteps", 3, "learningRate", 1e-3, "warmupSteps", 0, "schedule", "constant",
                "responseMaxTokens", 24, "rewardMaxTokens", 192, "checkpointEvery", 2));
    }

    /** The defaults with JSON overrides applied, validated. */
    public static PpoConfig fromJson(JsonNode overrides) {
        return ConfigOverrides.apply(defaults(), overrides, PpoConfig.class).validated();
    }

    /** This config with overrides applied, validated. */
    public PpoConfig with(Map<String, ?> overrides) {
        return ConfigOverrides.apply(this, overrides, PpoConfig.class).validated();
    }

    /** Returns this config or throws {@link InvalidConfigException} naming the first bad field. */
    public PpoConfig validated() {
        positive(rolloutBatchSize, "rolloutBatchSize");
        positive(stepBatchSize, "stepBatchSize");
        require(rolloutBatchSize % stepBatchSize == 0, "stepBatchSize",
                "must divide rolloutBatchSize=" + rolloutBatchSize + ", got " + stepBatchSize);
        positive(microBatchSize, "microBatchSize");
        require(stepBatchSize % microBatchSize == 0 || microBatchSize >= stepBatchSize, "microBatchSize",
                "must divide stepBatchSize=" + stepBatchSize + ", got " + microBatchSize);
        positive(ppoEpochs, "ppoEpochs");
        positive(epochs, "epochs");
        require(maxSteps >= 0, "maxSteps", "must be >= 0 (0 = all epochs), got " + maxSteps);
        positive(learningRate, "learningRate");
        require(warmupSteps >= 0, "warmupSteps", "must be >= 0, got " + warmupSteps);
        require(schedule != null && RewardModelConfig.SCHEDULES.contains(schedule), "schedule",
                "must be one of " + RewardModelConfig.SCHEDULES + ", got " + schedule);
        nonNegative(maxGradNorm, "maxGradNorm");
        positive(temperature, "temperature");
        require(topP > 0 && topP <= 1, "topP", "must be in (0, 1], got " + topP);
        require(topK >= 0, "topK", "must be >= 0 (0 = off), got " + topK);
        positive(queryMaxTokens, "queryMaxTokens");
        positive(responseMaxTokens, "responseMaxTokens");
        nonNegative(klCoef, "klCoef");
        require(klEstimator != null && KL_ESTIMATORS.contains(klEstimator), "klEstimator",
                "must be one of " + KL_ESTIMATORS + ", got " + klEstimator);
        inRange(gamma, 0, 1, "gamma");
        inRange(lambda, 0, 1, "lambda");
        require(clipRange > 0 && clipRange < 1, "clipRange", "must be in (0, 1), got " + clipRange);
        positive(valueClipRange, "valueClipRange");
        nonNegative(valueCoef, "valueCoef");
        positive(rewardScale, "rewardScale");
        finite(unfinishedPenalty, "unfinishedPenalty");
        nonNegative(lengthBonusScale, "lengthBonusScale");
        finite(lengthBonusCap, "lengthBonusCap");
        require(lengthBonusMultipliers != null, "lengthBonusMultipliers", "must be given");
        lengthBonusMultipliers.forEach((type, m) -> {
            require(type != null && type >= 0, "lengthBonusMultipliers", "prompt types must be >= 0, got " + type);
            require(m != null && Double.isFinite(m), "lengthBonusMultipliers." + type, "must be finite, got " + m);
        });
        require(principlesPerPrompt >= 0, "principlesPerPrompt", "must be >= 0, got " + principlesPerPrompt);
        require(boosts != null, "boosts", "must be given (may be empty)");
        for (int i = 0; i < boosts.size(); i++) {
            WeightBoost b = boosts.get(i);
            require(b != null, "boosts[" + i + "]", "must not be null");
            require(b.promptType() >= 0, "boosts[" + i + "].promptType", "must be >= 0, got " + b.promptType());
            require(!b.nameKeywords().isEmpty() && b.nameKeywords().stream().noneMatch(String::isBlank),
                    "boosts[" + i + "].nameKeywords", "must be non-empty words");
            require(Double.isFinite(b.bonus()) && b.bonus() >= 0, "boosts[" + i + "].bonus",
                    "must be >= 0, got " + b.bonus());
        }
        positive(rewardMaxTokens, "rewardMaxTokens");
        positive(rewardMaxInstructionTokens, "rewardMaxInstructionTokens");
        positive(rewardMaxResponseTokens, "rewardMaxResponseTokens");
        positive(checkpointEvery, "checkpointEvery");
        require(stopMarker != null && !stopMarker.isEmpty(), "stopMarker", "must be non-empty");
        positive(whitenEpsilon, "whitenEpsilon");
        return this;
    }

    /** The length-bonus multiplier of a prompt: its own if given, else the one for its type (0 if none). */
    public double lengthBonusMultiplier(int promptType, Double promptOwn) {
        if (promptOwn != null) {
            return promptOwn;
        }
        return lengthBonusMultipliers.getOrDefault(promptType, 0.0);
    }

    /** The KL estimator as an enum. */
    public PpoMath.KlEstimator kl() {
        return "k3".equals(klEstimator) ? PpoMath.KlEstimator.K3 : PpoMath.KlEstimator.K1;
    }

    /** The reward-model prompt token budgets. */
    public RewardModelPrompt.Limits rewardLimits() {
        return new RewardModelPrompt.Limits(rewardMaxTokens, rewardMaxInstructionTokens, rewardMaxResponseTokens);
    }
}
