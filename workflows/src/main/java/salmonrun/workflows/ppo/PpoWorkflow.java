package salmonrun.workflows.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.PhaseWorkflow;

/** Phase "ppo": outputs {@code policy_model}. Continues as new every {@code iterationsPerRun} iterations. */
@WorkflowInterface
public interface PpoWorkflow extends PhaseWorkflow {
    String TYPE = "Ppo";
    String CHANGE_PRINCIPLES = "changeRlPrinciples";

    /** Runs the phase on a {@link PpoInput} given as JSON. */
    @WorkflowMethod(name = TYPE)
    PhaseOutputs run(JsonNode input);

    /** Switches the RL-time principles from the next rollout on; recorded in the audit log (who, when, why). */
    @UpdateMethod(name = CHANGE_PRINCIPLES)
    PrincipleChangeReceipt changeRlPrinciples(PrincipleChange change);

    /** Rejects a change without actor, reason or principle set, or after the last rollout started. */
    @UpdateValidatorMethod(updateName = CHANGE_PRINCIPLES)
    void validateChange(PrincipleChange change);
}
