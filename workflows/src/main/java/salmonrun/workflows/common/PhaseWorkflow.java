package salmonrun.workflows.common;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;

/**
 * What every phase workflow answers besides its workflow method: progress queries, pause and resume between
 * steps, and progress reports from its own activities (which also poll {@link #paused()} between steps).
 */
public interface PhaseWorkflow {

    /** Current stage, step, figures and pause state. */
    @QueryMethod(name = "progress")
    PhaseProgress progress();

    /** Whether the phase is paused; long activities poll this between steps. */
    @QueryMethod(name = "paused")
    boolean paused();

    /** Pauses before the next step (activity, PPO rollout, training step). */
    @SignalMethod(name = "pause")
    void pause(String reason);

    /** Resumes a paused phase. */
    @SignalMethod(name = "resume")
    void resume();

    /** Progress from a running activity of this phase (step, figures, newest checkpoint). */
    @SignalMethod(name = "report")
    void report(PhaseProgress progress);
}
