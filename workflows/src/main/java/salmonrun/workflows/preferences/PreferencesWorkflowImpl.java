package salmonrun.workflows.preferences;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
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

/** Sample response pairs, judge them in shards (fanned out, gathered), aggregate into a preference dataset. */
public class PreferencesWorkflowImpl extends PhaseWorkflowBase implements PreferencesWorkflow {

    public PreferencesWorkflowImpl() {
        super(PhaseNames.PREFERENCES);
    }

    @Override
    public PhaseOutputs run(JsonNode json) {
        PreferencesInput in = StrictJson.read(json, PreferencesInput.class, "Preferences input");
        PreferencesActivities control = Workflow.newActivityStub(PreferencesActivities.class,
                ActivityStubOptions.control());
        PreferencesActivities model = Workflow.newActivityStub(PreferencesActivities.class,
                ActivityStubOptions.model(in.heartbeatTimeoutSeconds()));

        Map<String, Long> inputs = new LinkedHashMap<>();
        inputs.put("policy", in.policy());
        inputs.put("judge", in.judge());
        inputs.put("prompt_pool", in.promptPool());
        PhaseStart start = new PhaseStart(in.runId(), PhaseNames.PREFERENCES,
                keyConfig(in.config(), in.shards(), in.seed()), List.copyOf(inputs.values()), in.principleSet(),
                null, in.force());
        return new PhaseRunner().run(start, inputs, in.config(), state, executionId -> {
            state.stage("pairs", 1);
            state.awaitResumed();
            StepResult pairs = model.responsePairs(new StepCall(in.runId(), executionId, "response_pairs",
                    Map.of("policy", in.policy(), "prompt_pool", in.promptPool()), in.principleSet(), null,
                    in.config(), 0, 1, in.seed(), in.force()));
            long pairsId = pairs.output("pairs");

            state.stage("judge", in.shards());
            state.awaitResumed();
            // One judging activity per shard of the pairs, over every worker on the model queue; a failed
            // shard retries alone.
            StepCall judge = new StepCall(in.runId(), executionId, "judge", Map.of("pairs", pairsId,
                    "judge", in.judge()), in.principleSet(), null, in.config(), 0, in.shards(), in.seed(), in.force());
            List<Promise<StepResult>> judged = new ArrayList<>();
            for (int i = 0; i < in.shards(); i++) {
                judged.add(Async.function(model::judgeShard, judge.forShard(i)));
            }
            Map<String, Long> shardInputs = new LinkedHashMap<>();
            shardInputs.put("pairs", pairsId);
            for (int i = 0; i < judged.size(); i++) {
                shardInputs.put("judgements:" + i, judged.get(i).get().output("judgements"));
                state.step(i + 1, null, null);
            }

            state.stage("aggregate", 1);
            state.awaitResumed();
            StepResult agg = control.aggregate(new StepCall(in.runId(), executionId, "aggregate", shardInputs,
                    in.principleSet(), null, in.config(), 0, 1, in.seed(), in.force()));
            state.step(1, agg.metrics(), null);
            return new PhaseRunner.BodyResult(Map.of("response_pairs", pairsId,
                    "preference_data", agg.output("preference_data")), agg.metrics());
        });
    }
}
