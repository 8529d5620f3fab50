package salmonrun.workflows.preferences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Input of the Preferences workflow: {@code policy} samples the response pairs, {@code judge} (default: the
 * policy) judges them principle by principle with the labelling principles of {@code principleSet}.
 */
public record PreferencesInput(Long runId, Long policy, Long judge, Long promptPool, Long principleSet,
                               JsonNode config, Integer shards, Long seed, Boolean force,
                               Integer heartbeatTimeoutSeconds) {

    public PreferencesInput {
        if (policy == null) {
            throw new IllegalArgumentException("policy (checkpoint artifact id) is required");
        }
        if (promptPool == null) {
            throw new IllegalArgumentException("promptPool (prompt-pool artifact id) is required");
        }
        if (principleSet == null) {
            throw new IllegalArgumentException("principleSet (principle set id) is required");
        }
        judge = judge == null ? policy : judge;
        config = config == null ? JsonNodeFactory.instance.objectNode() : config;
        shards = shards == null ? 2 : shards;
        if (shards < 1 || shards > 1024) {
            throw new IllegalArgumentException("shards must be between 1 and 1024, got " + shards);
        }
        seed = seed == null ? 1L : seed;
        force = force != null && force;
        heartbeatTimeoutSeconds = heartbeatTimeoutSeconds == null ? 30 : heartbeatTimeoutSeconds;
    }
}
