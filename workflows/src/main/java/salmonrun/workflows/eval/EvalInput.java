package salmonrun.workflows.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/**
 * Input of the Eval workflow: the checkpoints to evaluate by label (e.g. base, sft, ppo), optionally a principle
 * set (evaluating "base with principles in context"), the eval config, a {@code rewardModel} (each model's answers
 * are scored by it under {@code rewardPrinciples}, default the principle set) and a {@code reference} checkpoint
 * (each model's KL to it is estimated on its own answers).
 */
public record EvalInput(Long runId, Map<String, Long> models, Long principleSet, JsonNode config, Long seed,
                        Boolean force, Integer heartbeatTimeoutSeconds, Long rewardModel, Long reference,
                        Long rewardPrinciples) {

    public EvalInput {
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("models (label -> checkpoint artifact id) must name at least one model");
        }
        models.forEach((label, id) -> {
            if (!label.matches("[a-z][a-z0-9_]{0,31}")) {
                throw new IllegalArgumentException("model label '" + label + "' must match [a-z][a-z0-9_]{0,31}");
            }
            if (id == null) {
                throw new IllegalArgumentException("models." + label + " has no artifact id");
            }
        });
        models = new java.util.TreeMap<>(models);
        config = config == null ? JsonNodeFactory.instance.objectNode() : config;
        seed = seed == null ? 1L : seed;
        force = force != null && force;
        heartbeatTimeoutSeconds = heartbeatTimeoutSeconds == null ? 30 : heartbeatTimeoutSeconds;
    }
}
