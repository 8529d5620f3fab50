package salmonrun.workflows.selfalign;

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

/** Prompt pool (if not given), generation fanned out per shard, filter, engraving SFT. */
public class SelfAlignWorkflowImpl extends PhaseWorkflowBase implements SelfAlignWorkflow {

    public SelfAlignWorkflowImpl() {
        super(PhaseNames.SELF_ALIGN);
    }

    @Override
    public PhaseOutputs run(JsonNode json) {
        SelfAlignInput in = StrictJson.read(json, SelfAlignInput.class, "SelfAlign input");
        SelfAlignActivities control = Workflow.newActivityStub(SelfAlignActivities.class,
                ActivityStubOptions.control());
        SelfAlignActivities model = Workflow.newActivityStub(SelfAlignActivities.class,
                ActivityStubOptions.model(in.heartbeatTimeoutSeconds()));

        Map<String, Long> inputs = new LinkedHashMap<>();
        inputs.put("base_model", in.baseModel());
        if (in.promptPool() != null) {
            inputs.put("prompt_pool", in.promptPool());
        }
        PhaseStart start = new PhaseStart(in.runId(), PhaseNames.SELF_ALIGN, keyConfig(in.config(), in.shards(), in.seed()), List.copyOf(inputs.values()),
                in.principleSet(), in.exemplarSet(), in.force());
        return new PhaseRunner().run(start, inputs, in.config(), state, executionId -> {
            StepCall base = new StepCall(in.runId(), executionId, "prompt_pool", inputs, in.principleSet(),
                    in.exemplarSet(), in.config(), 0, 1, in.seed(), in.force());
            long pool;
            if (in.promptPool() != null) {
                pool = in.promptPool();
            } else {
                state.stage("prompt_pool", 1);
                state.awaitResumed();
                pool = control.buildPromptPool(base).output("prompt_pool");
            }

            state.stage("generate", in.shards());
            state.awaitResumed();
            StepCall gen = new StepCall(in.runId(), executionId, "generate", Map.of("base_model", in.baseModel(),
                    "prompt_pool", pool), in.principleSet(), in.exemplarSet(), in.config(), 0, in.shards(),
                    in.seed(), in.force());
            List<Promise<StepResult>> shards = new ArrayList<>();
            for (int i = 0; i < in.shards(); i++) {
                shards.add(Async.function(model::generateShard, gen.forShard(i)));
            }
            Map<String, Long> shardInputs = new LinkedHashMap<>();
            shardInputs.put("prompt_pool", pool);
            for (int i = 0; i < shards.size(); i++) {
                shardInputs.put("shard:" + i, shards.get(i).get().output("shard"));
                state.step(i + 1, null, null);
            }

            state.stage("filter", 1);
            state.awaitResumed();
            StepCall filterCall = new StepCall(in.runId(), executionId, "filter", shardInputs, in.principleSet(),
                    in.exemplarSet(), in.config(), 0, 1, in.seed(), in.force());
            StepResult filtered = control.filter(filterCall);
            long data = filtered.output("self_align_data");

            state.stage("engrave", 0);
            state.awaitResumed();
            StepCall engraveCall = new StepCall(in.runId(), executionId, "engrave",
                    Map.of("base_model", in.baseModel(), "self_align_data", data), in.principleSet(),
                    in.exemplarSet(), in.config(), 0, 1, in.seed(), in.force());
            StepResult sft = model.engrave(engraveCall);
            state.step(state.progress().step(), sft.metrics(), sft.output("model"));

            Map<String, Long> outputs = new LinkedHashMap<>();
            outputs.put("prompt_pool", pool);
            outputs.put("self_align_data", data);
            outputs.put("sft_model", sft.output("model"));
            Map<String, Double> metrics = new LinkedHashMap<>(filtered.metrics());
            sft.metrics().forEach((k, v) -> metrics.put("sft_" + k, v));
            return new PhaseRunner.BodyResult(outputs, metrics);
        });
    }
}
