package salmonrun.workflows.ppo;

import java.util.Map;

/**
 * What a PPO workflow carries across continue-as-new: its lineage execution, the next iteration, the current
 * policy checkpoint and RL principle set, the newest figures and the pause state.
 */
public record PpoContinuation(long phaseExecutionId, int nextIteration, long policy, long rlPrincipleSet,
                              Map<String, Double> metrics, boolean paused, String pauseReason) {

    public PpoContinuation {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
