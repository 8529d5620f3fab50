package salmonrun.workflows.rewardmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Input of the RewardModel workflow: initial model, preference data, the principle set the RM is instructed by. */
public record RewardModelInput(Long runId, Long baseModel, Long preferenceData, Long principleSet, JsonNode config,
                               Long seed, Boolean force, Integer heartbeatTimeoutSeconds) {

    public RewardModelInput {
        if (baseModel == null) {
            throw new IllegalArgumentException("baseModel (checkpoint artifact id) is required");
        }
        if (preferenceData == null) {
            throw new IllegalArgumentException("preferenceData (preference-dataset artifact id) is required");
        }
        if (principleSet == null) {
            throw new IllegalArgumentException("principleSet (principle set id) is required");
        }
        config = config == null ? JsonNodeFactory.instance.objectNode() : config;
        seed = seed == null ? 1L : seed;
        force = force != null && force;
        heartbeatTimeoutSeconds = heartbeatTimeoutSeconds == null ? 30 : heartbeatTimeoutSeconds;
    }
}
