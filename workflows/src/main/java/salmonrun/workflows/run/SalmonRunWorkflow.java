package salmonrun.workflows.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The whole SALMON pipeline: validates a {@link RunSpec}, then one child workflow per phase. */
@WorkflowInterface
public interface SalmonRunWorkflow {
    String TYPE = "SalmonRun";

    /** Runs the pipeline described by a RunSpec given as JSON (any JSON payload, e.g. from the Temporal CLI). */
    @WorkflowMethod(name = TYPE)
    RunResult run(JsonNode spec);

    /** Status, current phase and child workflow, pause state. */
    @QueryMethod(name = "state")
    RunState state();

    /** Pauses the current phase between steps, and holds the next phase until resumed. */
    @SignalMethod(name = "pause")
    void pause(String reason);

    /** Resumes. */
    @SignalMethod(name = "resume")
    void resume();
}
