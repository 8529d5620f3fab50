package salmonrun.workflows.run;

import java.util.List;

/**
 * What a SalmonRun is doing: status (validating, running, completed, failed, cancelled), the current phase and
 * its child workflow id (query that child's {@code progress} for step, loss, reward and KL), finished phases,
 * and the pause state.
 */
public record RunState(String workflowId, Long runId, String status, String currentPhase, String currentChild,
                       List<String> completedPhases, boolean paused, String pauseReason, String error) {}
