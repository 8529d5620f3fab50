package salmonrun.workflows.rewardmodel;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.PhaseWorkflow;

/** Phase "reward_model": outputs {@code reward_model}. */
@WorkflowInterface
public interface RewardModelWorkflow extends PhaseWorkflow {
    String TYPE = "RewardModel";

    /** Runs the phase on a {@link RewardModelInput} given as JSON. */
    @WorkflowMethod(name = TYPE)
    PhaseOutputs run(JsonNode input);
}
