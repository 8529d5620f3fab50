package salmonrun.workflows.selfalign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Input of the SelfAlign workflow. {@code baseModel} (checkpoint artifact id), {@code principleSet} and
 * {@code exemplarSet} are required; {@code promptPool} is built from the config when absent; {@code config} is
 * the phase config the activities validate; {@code shards} is the generation fan-out.
 */
public record SelfAlignInput(Long runId, Long baseModel, Long promptPool, Long principleSet, Long exemplarSet,
                             JsonNode config, Integer shards, Long seed, Boolean force,
                             Integer heartbeatTimeoutSeconds) {

    public SelfAlignInput {
        if (baseModel == null) {
            throw new IllegalArgumentException("baseModel (checkpoint artifact id) is required");
        }
        if (principleSet == null) {
            throw new IllegalArgumentException("principleSet (principle set id) is required");
        }
        if (exemplarSet == null) {
            throw new IllegalArgumentException("exemplarSet (exemplar set id) is required");
        }
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
