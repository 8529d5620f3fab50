package salmonrun.workflows.selfalign;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.PhaseWorkflow;

/** Phase "self_align": outputs {@code prompt_pool}, {@code self_align_data} and {@code sft_model}. */
@WorkflowInterface
public interface SelfAlignWorkflow extends PhaseWorkflow {
    String TYPE = "SelfAlign";

    /** Runs the phase on a {@link SelfAlignInput} given as JSON. */
    @WorkflowMethod(name = TYPE)
    PhaseOutputs run(JsonNode input);
}
