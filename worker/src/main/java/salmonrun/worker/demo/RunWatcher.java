package salmonrun.worker.demo;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import salmonrun.worker.orchestration.RunFollower;
import salmonrun.workflows.common.PhaseProgress;
import salmonrun.workflows.run.RunState;

/**
 * Follows a running SalmonRun through its queries ({@code state} on the run, {@code progress} on the current phase's
 * child workflow) and draws a progress bar for the step in flight: the running activity's own position when it
 * reports one (e.g. engraving's training steps), else the phase workflow's (e.g. shards done).
 */
public final class RunWatcher {
    private final RunFollower follower;
    private final ProgressDisplay display;
    private final long pollMillis;

    public RunWatcher(RunFollower follower, ProgressDisplay display, long pollMillis) {
        this.follower = follower;
        this.display = display;
        this.pollMillis = pollMillis;
    }

    /** Draws progress until the workflow closes; returns its final status. */
    public WorkflowExecutionStatus follow(String workflowId) throws InterruptedException {
        Set<String> announced = new HashSet<>();
        while (true) {
            WorkflowExecutionStatus status = follower.executionStatus(workflowId);
            try {
                RunState state = follower.state(workflowId);
                for (String phase : state.completedPhases()) {
                    if (announced.add(phase)) {
                        display.done(phase + ": done");
                    }
                }
                if (state.currentPhase() != null && !announced.contains(state.currentPhase())) {
                    Optional<PhaseProgress> p = follower.progress(state);
                    show(state.currentPhase(), p);
                }
            } catch (RuntimeException e) {
                // A query can fail briefly (workflow task in flight); the next poll tries again.
            }
            if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                return status;
            }
            Thread.sleep(pollMillis);
        }
    }

    private void show(String phase, Optional<PhaseProgress> progress) {
        if (progress.isEmpty()) {
            display.update(phase + ": starting", 0, 0, java.util.Map.of());
            return;
        }
        PhaseProgress p = progress.get();
        PhaseProgress.ActivityStep a = p.activity();
        if (a != null && a.stage() != null && (a.total() > 0 || a.step() > 0)) {
            String label = phase + ": " + p.stage() + (a.stage().equals(p.stage()) ? "" : " / " + a.stage());
            display.update(label, a.step(), a.total(), p.metrics());
        } else {
            display.update(phase + ": " + p.stage() + (p.paused() ? " (paused)" : ""), p.step(), p.total(),
                    p.metrics());
        }
    }
}
