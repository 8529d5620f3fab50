package salmonrun.workflows.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.PhaseWorkflow;

/** Phase "eval": outputs {@code evaluation} (and {@code evaluation:<label>} per model). */
@WorkflowInterface
public interface EvalWorkflow extends PhaseWorkflow {
    String TYPE = "Eval";

    /** Runs the phase on an {@link EvalInput} given as JSON. */
    @WorkflowMethod(name = TYPE)
    PhaseOutputs run(JsonNode input);
}
