package salmonrun.workflows.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One activity's work order: the run and phase it belongs to, its input artifact ids by role, the principle
 * and exemplar sets it reads, its config (validated by the activity), and for sharded work its shard.
 * Only ids travel through Temporal; the data stays in the artifact store.
 */
public record StepCall(Long runId, Long phaseExecutionId, String step, Map<String, Long> inputs,
                       Long principleSetId, Long exemplarSetId, JsonNode config, int shard, int shards,
                       long seed, boolean force) {

    public StepCall {
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " out of " + shards);
        }
    }

    /** The same call for another shard. */
    public StepCall forShard(int shard) {
        return new StepCall(runId, phaseExecutionId, step, inputs, principleSetId, exemplarSetId, config, shard,
                shards, seed, force);
    }

    /** The same call with one more input. */
    public StepCall withInput(String role, long artifactId) {
        java.util.HashMap<String, Long> more = new java.util.HashMap<>(inputs);
        more.put(role, artifactId);
        return new StepCall(runId, phaseExecutionId, step, more, principleSetId, exemplarSetId, config, shard,
                shards, seed, force);
    }

    /** The same call under another step name. */
    public StepCall named(String stepName) {
        return new StepCall(runId, phaseExecutionId, stepName, inputs, principleSetId, exemplarSetId, config, shard,
                shards, seed, force);
    }
}
