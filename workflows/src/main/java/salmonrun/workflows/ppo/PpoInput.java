package salmonrun.workflows.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Input of the Ppo workflow: the initial {@code policy} (SFT checkpoint), the {@code rewardModel}, the RL-time
 * {@code rlPrincipleSet}, the {@code promptPool}; {@code iterations} rollout+update rounds, of which at most
 * {@code iterationsPerRun} run before the workflow continues as new. {@code continuation} is set only by the
 * workflow itself when it continues as new.
 */
public record PpoInput(Long runId, Long policy, Long rewardModel, Long rlPrincipleSet, Long promptPool,
                       JsonNode config, Integer iterations, Integer iterationsPerRun, Long seed, Boolean force,
                       Integer heartbeatTimeoutSeconds, PpoContinuation continuation) {

    public PpoInput {
        if (policy == null) {
            throw new IllegalArgumentException("policy (checkpoint artifact id) is required");
        }
        if (rewardModel == null) {
            throw new IllegalArgumentException("rewardModel (checkpoint artifact id) is required");
        }
        if (rlPrincipleSet == null) {
            throw new IllegalArgumentException("rlPrincipleSet (principle set id) is required");
        }
        if (promptPool == null) {
            throw new IllegalArgumentException("promptPool (prompt-pool artifact id) is required");
        }
        config = config == null ? JsonNodeFactory.instance.objectNode() : config;
        iterations = iterations == null ? 4 : iterations;
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        iterationsPerRun = iterationsPerRun == null ? 50 : iterationsPerRun;
        if (iterationsPerRun < 1) {
            throw new IllegalArgumentException("iterationsPerRun must be at least 1, got " + iterationsPerRun);
        }
        seed = seed == null ? 1L : seed;
        force = force != null && force;
        heartbeatTimeoutSeconds = heartbeatTimeoutSeconds == null ? 30 : heartbeatTimeoutSeconds;
    }

    /** The input of the next run after continue-as-new. */
    PpoInput next(PpoContinuation c) {
        return new PpoInput(runId, policy, rewardModel, rlPrincipleSet, promptPool, config, iterations,
                iterationsPerRun, seed, force, heartbeatTimeoutSeconds, c);
    }
}
