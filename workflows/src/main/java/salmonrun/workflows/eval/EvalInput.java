package salmonrun.workflows.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/**
 * Input of the Eval workflow: the checkpoints to evaluate by label (e.g. base, sft, ppo), the principle set, the
 * eval config, the exemplar set, a {@code rewardModel} (each model's answers are scored by it under
 * {@code rewardPrinciples}, default the principle set) and a {@code reference} checkpoint (each model's KL to it is
 * estimated on its own answers). With {@code config.baseWithPrinciples} the model labelled {@code base} is also
 * evaluated with the self-align prompt of the principle and exemplar sets in context, as {@value #BASE_PRINCIPLES}.
 */
public record EvalInput(Long runId, Map<String, Long> models, Long principleSet, JsonNode config, Long seed,
                        Boolean force, Integer heartbeatTimeoutSeconds, Long rewardModel, Long reference,
                        Long rewardPrinciples, Long exemplarSet) {
    /** The eval config flag asking for the "base with principles in context" row. */
    public static final String BASE_WITH_PRINCIPLES = "baseWithPrinciples";
    /** The label of that row: output {@code evaluation:base_principles}. */
    public static final String BASE_PRINCIPLES = "base_principles";

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
        if (config.path(BASE_WITH_PRINCIPLES).asBoolean(false)) {
            if (!models.containsKey("base")) {
                throw new IllegalArgumentException("eval." + BASE_WITH_PRINCIPLES + " needs a model labelled 'base'");
            }
            if (models.containsKey(BASE_PRINCIPLES)) {
                throw new IllegalArgumentException("model label '" + BASE_PRINCIPLES + "' is reserved for eval."
                        + BASE_WITH_PRINCIPLES);
            }
            if (principleSet == null || exemplarSet == null) {
                throw new IllegalArgumentException("eval." + BASE_WITH_PRINCIPLES
                        + " needs a principle set and an exemplar set (the self-align prompt)");
            }
        }
    }

    /** Whether the base model is also evaluated with principles and exemplars in context. */
    public boolean withPrinciplesInContext() {
        return config.path(BASE_WITH_PRINCIPLES).asBoolean(false);
    }
}
