package salmonrun.workflows.preferences;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.PhaseWorkflow;

/** Phase "preferences": outputs {@code preference_data}. */
@WorkflowInterface
public interface PreferencesWorkflow extends PhaseWorkflow {
    String TYPE = "Preferences";

    /** Runs the phase on a {@link PreferencesInput} given as JSON. */
    @WorkflowMethod(name = TYPE)
    PhaseOutputs run(JsonNode input);
}
