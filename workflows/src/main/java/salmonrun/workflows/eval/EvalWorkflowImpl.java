package salmonrun.workflows.eval;

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

/**
 * One evaluation activity per model (with the reward model and KL reference when given), fanned out, plus the base
 * model with principles in context when the config asks for it, then a summary.
 */
public class EvalWorkflowImpl extends PhaseWorkflowBase implements EvalWorkflow {

    public EvalWorkflowImpl() {
        super(PhaseNames.EVAL);
    }

    @Override
    public PhaseOutputs run(JsonNode json) {
        EvalInput in = StrictJson.read(json, EvalInput.class, "Eval input");
        EvalActivities control = Workflow.newActivityStub(EvalActivities.class, ActivityStubOptions.control());
        EvalActivities model = Workflow.newActivityStub(EvalActivities.class,
                ActivityStubOptions.model(in.heartbeatTimeoutSeconds()));
        List<String> labels = List.copyOf(in.models().keySet());
        boolean inContext = in.withPrinciplesInContext();
        int total = labels.size() + (inContext ? 1 : 0);
        // The exemplar set only shapes the in-context row, so only then is it part of the phase's key.
        Long exemplars = inContext ? in.exemplarSet() : null;
        // Scoring inputs every model's evaluation shares; absent ones leave the key and inputs as before.
        Map<String, Long> shared = new LinkedHashMap<>();
        if (in.rewardModel() != null) {
            shared.put("reward_model", in.rewardModel());
        }
        if (in.reference() != null) {
            shared.put("reference", in.reference());
        }
        List<Long> keyInputs = new ArrayList<>(in.models().values());
        keyInputs.addAll(shared.values());
        Map<String, Long> validated = new LinkedHashMap<>(in.models());
        validated.putAll(shared);
        // The reward model judges under its own principle set; it keys the phase like the inputs do.
        Long scoringSet = in.rewardModel() != null && in.rewardPrinciples() != null ? in.rewardPrinciples()
                : in.principleSet();
        JsonNode key = keyConfig(in.config(), labels.size(), in.seed());
        if (in.rewardModel() != null && in.rewardPrinciples() != null) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) key).put("rewardPrinciples", in.rewardPrinciples());
        }
        PhaseStart start = new PhaseStart(in.runId(), PhaseNames.EVAL, key, List.copyOf(keyInputs), in.principleSet(),
                exemplars, in.force());
        return new PhaseRunner().run(start, validated, in.config(), state, executionId -> {
            state.stage("evaluate", total);
            state.awaitResumed();
            List<Promise<StepResult>> evals = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) {
                String label = labels.get(i);
                Map<String, Long> inputs = new LinkedHashMap<>();
                inputs.put("model", in.models().get(label));
                inputs.putAll(shared);
                evals.add(Async.function(model::evaluate, new StepCall(in.runId(), executionId, "evaluate:" + label,
                        inputs, scoringSet, null, in.config(), i, total, in.seed(), in.force())));
            }
            List<String> order = new ArrayList<>(labels);
            if (inContext) {
                order.add(EvalInput.BASE_PRINCIPLES);
                evals.add(Async.function(model::evaluateWithPrinciples, new StepCall(in.runId(), executionId,
                        "evaluate:" + EvalInput.BASE_PRINCIPLES, Map.of("model", in.models().get("base")),
                        in.principleSet(), exemplars, in.config(), labels.size(), total, in.seed(), in.force())));
            }
            Map<String, Long> perModel = new LinkedHashMap<>();
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int i = 0; i < order.size(); i++) {
                StepResult r = evals.get(i).get();
                String label = order.get(i);
                perModel.put("evaluation:" + label, r.output("evaluation"));
                r.metrics().forEach((k, v) -> metrics.put(label + "." + k, v));
                state.step(i + 1, null, null);
            }
            state.stage("summarize", 1);
            StepResult summary = control.summarize(new StepCall(in.runId(), executionId, "summarize", perModel,
                    in.principleSet(), null, in.config(), 0, 1, in.seed(), in.force()));
            Map<String, Long> outputs = new LinkedHashMap<>(perModel);
            outputs.put("evaluation", summary.output("evaluation"));
            return new PhaseRunner.BodyResult(outputs, metrics);
        });
    }
}
