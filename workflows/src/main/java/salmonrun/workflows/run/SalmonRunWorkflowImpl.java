package salmonrun.workflows.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ChildWorkflowStub;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.workflows.common.ActivityStubOptions;
import salmonrun.workflows.common.BookkeepingActivities;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.PhaseRunner;
import salmonrun.workflows.common.StrictJson;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.eval.EvalInput;
import salmonrun.workflows.eval.EvalWorkflow;
import salmonrun.workflows.ppo.PpoInput;
import salmonrun.workflows.ppo.PpoWorkflow;
import salmonrun.workflows.preferences.PreferencesInput;
import salmonrun.workflows.preferences.PreferencesWorkflow;
import salmonrun.workflows.rewardmodel.RewardModelInput;
import salmonrun.workflows.rewardmodel.RewardModelWorkflow;
import salmonrun.workflows.selfalign.SelfAlignInput;
import salmonrun.workflows.selfalign.SelfAlignWorkflow;

/** Validates the spec, records the run, then runs each requested phase as a child workflow, chaining artifact ids. */
public class SalmonRunWorkflowImpl implements SalmonRunWorkflow {
    private final List<String> completed = new ArrayList<>();
    private Long runId;
    private String status = "validating";
    private String currentPhase;
    private String currentChild;
    private boolean paused;
    private String pauseReason;
    private String error;

    @Override
    public RunResult run(JsonNode json) {
        String workflowId = Workflow.getInfo().getWorkflowId();
        RunSpec spec;
        try {
            spec = StrictJson.read(json, RunSpec.class, "RunSpec");
        } catch (TemporalFailure e) {
            status = "failed";
            error = PhaseRunner.describe(e);
            throw e;
        }
        BookkeepingActivities bookkeeping = Workflow.newActivityStub(BookkeepingActivities.class,
                ActivityStubOptions.control());
        runId = bookkeeping.openRun(workflowId, json, spec.startedBy());
        // Version 1: check every requested phase's known references and config before the first phase runs, so
        // a typo in the eval section fails the run in seconds, not after hours of training. Runs started
        // before this change replay without it.
        if (Workflow.getVersion(VALIDATE_UPFRONT, Workflow.DEFAULT_VERSION, 1) >= 1) {
            try {
                validateUpfront(bookkeeping, spec);
            } catch (TemporalFailure e) {
                status = "failed";
                error = PhaseRunner.describe(e);
                long id = runId;
                Workflow.newDetachedCancellationScope(() -> bookkeeping.setRunStatus(id, "failed")).run();
                throw e;
            }
        }
        status = "running";
        try {
            Map<String, PhaseOutputs> outputs = new LinkedHashMap<>();
            Long sft = spec.existing().sftModel();
            Long pool = spec.promptPool();
            Long preferenceData = spec.existing().preferenceData();
            Long rewardModel = spec.existing().rewardModel();
            Long policy = spec.existing().policyModel();
            int hb = spec.heartbeatTimeoutSeconds();

            if (spec.runs(PhaseNames.SELF_ALIGN)) {
                PhaseOutputs o = phase(PhaseNames.SELF_ALIGN, SelfAlignWorkflow.TYPE, new SelfAlignInput(runId,
                        spec.baseModel(), pool, spec.principleSet(), spec.exemplarSet(), spec.selfAlign(),
                        spec.shards().generation(), spec.seed(), spec.force(), hb));
                outputs.put(PhaseNames.SELF_ALIGN, o);
                sft = o.artifact("sft_model");
                pool = o.artifact("prompt_pool");
            }
            if (spec.runs(PhaseNames.PREFERENCES)) {
                PhaseOutputs o = phase(PhaseNames.PREFERENCES, PreferencesWorkflow.TYPE, new PreferencesInput(runId,
                        sft, null, pool, spec.principleSet(), spec.preferences(), spec.shards().judging(),
                        spec.seed(), spec.force(), hb));
                outputs.put(PhaseNames.PREFERENCES, o);
                preferenceData = o.artifact("preference_data");
            }
            if (spec.runs(PhaseNames.REWARD_MODEL)) {
                PhaseOutputs o = phase(PhaseNames.REWARD_MODEL, RewardModelWorkflow.TYPE, new RewardModelInput(runId,
                        spec.baseModel(), preferenceData, spec.principleSet(), spec.rewardModel(), spec.seed(),
                        spec.force(), hb));
                outputs.put(PhaseNames.REWARD_MODEL, o);
                rewardModel = o.artifact("reward_model");
            }
            if (spec.runs(PhaseNames.PPO)) {
                PhaseOutputs o = phase(PhaseNames.PPO, PpoWorkflow.TYPE, new PpoInput(runId, sft, rewardModel,
                        spec.rlPrinciples(), pool, spec.ppo(), spec.ppoLoop().iterations(),
                        spec.ppoLoop().iterationsPerRun(), spec.seed(), spec.force(), hb, null));
                outputs.put(PhaseNames.PPO, o);
                policy = o.artifact("policy_model");
            }
            if (spec.runs(PhaseNames.EVAL)) {
                Map<String, Long> models = new TreeMap<>();
                if (spec.baseModel() != null) {
                    models.put("base", spec.baseModel());
                }
                if (sft != null) {
                    models.put("sft", sft);
                }
                if (policy != null) {
                    models.put("ppo", policy);
                }
                // Version 1: eval also scores with the run's reward model under its RL principles and measures the
                // KL to the SFT model (PPO's reference). Runs started before replay without them.
                boolean scored = Workflow.getVersion(EVAL_REWARD_AND_KL, Workflow.DEFAULT_VERSION, 1) >= 1;
                PhaseOutputs o = phase(PhaseNames.EVAL, EvalWorkflow.TYPE, new EvalInput(runId, models,
                        spec.principleSet(), spec.eval(), spec.seed(), spec.force(), hb, scored ? rewardModel : null,
                        scored ? sft : null, scored ? evalPrinciples(spec) : null, spec.exemplarSet()));
                outputs.put(PhaseNames.EVAL, o);
            }
            currentPhase = null;
            currentChild = null;
            bookkeeping.setRunStatus(runId, "completed");
            status = "completed";
            return new RunResult(workflowId, runId, outputs);
        } catch (TemporalFailure e) {
            boolean cancelled = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                cancelled |= t instanceof CanceledFailure;
            }
            status = cancelled ? "cancelled" : "failed";
            error = PhaseRunner.describe(e);
            long id = runId;
            Workflow.newDetachedCancellationScope(() -> bookkeeping.setRunStatus(id, status)).run();
            throw e;
        }
    }

    /** The change id of the up-front validation (Workflow.getVersion). */
    static final String VALIDATE_UPFRONT = "validate-phases-upfront";
    /** The change id of eval's reward-model score and KL to the SFT reference (Workflow.getVersion). */
    static final String EVAL_REWARD_AND_KL = "eval-reward-model-and-kl";

    /** Validates each requested phase with the references the spec itself names (later outputs are checked later). */
    private static void validateUpfront(BookkeepingActivities bookkeeping, RunSpec spec) {
        for (String phase : spec.phases()) {
            Map<String, Long> known = new TreeMap<>();
            Long principles = spec.principleSet();
            Long exemplars = null;
            JsonNode config;
            switch (phase) {
                case PhaseNames.SELF_ALIGN -> {
                    putIf(known, "base_model", spec.baseModel());
                    putIf(known, "prompt_pool", spec.promptPool());
                    exemplars = spec.exemplarSet();
                    config = spec.selfAlign();
                }
                case PhaseNames.PREFERENCES -> {
                    putIf(known, "policy", spec.existing().sftModel());
                    putIf(known, "prompt_pool", spec.promptPool());
                    config = spec.preferences();
                }
                case PhaseNames.REWARD_MODEL -> {
                    putIf(known, "base_model", spec.baseModel());
                    putIf(known, "preference_data", spec.existing().preferenceData());
                    config = spec.rewardModel();
                }
                case PhaseNames.PPO -> {
                    putIf(known, "policy", spec.existing().sftModel());
                    putIf(known, "reward_model", spec.existing().rewardModel());
                    putIf(known, "prompt_pool", spec.promptPool());
                    principles = spec.rlPrinciples();
                    config = spec.ppo();
                }
                default -> {
                    putIf(known, "model", spec.baseModel());
                    putIf(known, "reward_model", spec.existing().rewardModel());
                    putIf(known, "reference", spec.existing().sftModel());
                    exemplars = spec.exemplarSet();
                    config = spec.eval();
                }
            }
            bookkeeping.validatePhase(phase, known, principles, exemplars, config);
        }
    }

    /** Eval scores under the RL principles PPO starts with (rlPrincipleSet, else principleSet; may be absent). */
    private static Long evalPrinciples(RunSpec spec) {
        return spec.rlPrincipleSet() != null ? spec.rlPrincipleSet() : spec.principleSet();
    }

    private static void putIf(Map<String, Long> m, String role, Long id) {
        if (id != null) {
            m.put(role, id);
        }
    }

    /** Runs one phase as a child workflow with a predictable id ({@code <run workflow id>-<phase>}). */
    private PhaseOutputs phase(String phase, String type, Object input) {
        Workflow.await(() -> !paused);
        String childId = Workflow.getInfo().getWorkflowId() + "-" + phase;
        ChildWorkflowStub child = Workflow.newUntypedChildWorkflowStub(type, ChildWorkflowOptions.newBuilder()
                .setWorkflowId(childId)
                .setTaskQueue(TaskQueues.CONTROL)
                .build());
        currentPhase = phase;
        Promise<PhaseOutputs> result = child.executeAsync(PhaseOutputs.class, StrictJson.tree(input));
        child.getExecution().get();
        currentChild = childId;
        if (paused) {
            // The pause arrived while the child was starting: hand it on.
            Workflow.newUntypedExternalWorkflowStub(childId).signal("pause", pauseReason);
        }
        PhaseOutputs out = result.get();
        completed.add(phase);
        currentChild = null;
        return out;
    }

    @Override
    public RunState state() {
        return new RunState(Workflow.getInfo().getWorkflowId(), runId, status, currentPhase, currentChild,
                List.copyOf(completed), paused, pauseReason, error);
    }

    @Override
    public void pause(String reason) {
        paused = true;
        pauseReason = reason;
        if (currentChild != null) {
            Workflow.newUntypedExternalWorkflowStub(currentChild).signal("pause", reason);
        }
    }

    @Override
    public void resume() {
        paused = false;
        pauseReason = null;
        if (currentChild != null) {
            Workflow.newUntypedExternalWorkflowStub(currentChild).signal("resume");
        }
    }
}
