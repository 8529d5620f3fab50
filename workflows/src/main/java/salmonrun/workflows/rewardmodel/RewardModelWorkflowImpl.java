package salmonrun.workflows.rewardmodel;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import salmonrun.workflows.common.ActivityStubOptions;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.PhaseRunner;
import salmonrun.workflows.common.PhaseStart;
import salmonrun.workflows.common.PhaseWorkflowBase;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.common.StrictJson;

/** One long, heartbeating, checkpointing training activity. */
public class RewardModelWorkflowImpl extends PhaseWorkflowBase implements RewardModelWorkflow {

    public RewardModelWorkflowImpl() {
        super(PhaseNames.REWARD_MODEL);
    }

    @Override
    public PhaseOutputs run(JsonNode json) {
        RewardModelInput in = StrictJson.read(json, RewardModelInput.class, "RewardModel input");
        RewardModelActivities model = Workflow.newActivityStub(RewardModelActivities.class,
                ActivityStubOptions.model(in.heartbeatTimeoutSeconds()));
        Map<String, Long> inputs = new LinkedHashMap<>();
        inputs.put("base_model", in.baseModel());
        inputs.put("preference_data", in.preferenceData());
        PhaseStart start = new PhaseStart(in.runId(), PhaseNames.REWARD_MODEL, keyConfig(in.config(), 1, in.seed()),
                List.copyOf(inputs.values()), in.principleSet(), null, in.force());
        return new PhaseRunner().run(start, inputs, in.config(), state, executionId -> {
            state.stage("train", 0);
            state.awaitResumed();
            StepResult rm = model.train(new StepCall(in.runId(), executionId, "train", inputs, in.principleSet(),
                    null, in.config(), 0, 1, in.seed(), in.force()));
            state.step(state.progress().step(), rm.metrics(), rm.output("model"));
            return new PhaseRunner.BodyResult(Map.of("reward_model", rm.output("model")), rm.metrics());
        });
    }
}
