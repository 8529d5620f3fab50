package salmonrun.workflows.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import salmonrun.workflows.common.ActivityStubOptions;
import salmonrun.workflows.common.PhaseBegin;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.PhaseRunner;
import salmonrun.workflows.common.PhaseStart;
import salmonrun.workflows.common.PhaseWorkflowBase;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.common.StrictJson;

/**
 * The PPO loop lives here, one activity per iteration, so that pause, principle changes and continue-as-new
 * happen between rollouts; the activity itself heartbeats and checkpoints.
 */
public class PpoWorkflowImpl extends PhaseWorkflowBase implements PpoWorkflow {
    private PpoInput in;
    private long executionId = -1;
    private int nextIteration;
    private long rlPrincipleSet;
    private boolean finished;
    private boolean iterationRunning;
    private int changesInFlight;

    public PpoWorkflowImpl() {
        super(PhaseNames.PPO);
    }

    @Override
    public PhaseOutputs run(JsonNode json) {
        in = StrictJson.read(json, PpoInput.class, "Ppo input");
        PhaseRunner runner = new PhaseRunner();
        PpoActivities model = Workflow.newActivityStub(PpoActivities.class,
                ActivityStubOptions.model(in.heartbeatTimeoutSeconds()));
        PpoContinuation c = in.continuation();
        long policy;
        if (c == null) {
            Map<String, Long> inputs = new LinkedHashMap<>();
            inputs.put("policy", in.policy());
            inputs.put("reward_model", in.rewardModel());
            inputs.put("prompt_pool", in.promptPool());
            PhaseStart start = new PhaseStart(in.runId(), PhaseNames.PPO,
                    keyConfig(in.config(), in.iterations(), in.seed()), List.copyOf(inputs.values()),
                    in.rlPrincipleSet(), null, in.force());
            PhaseBegin begin = runner.begin(start, inputs, in.config(), state);
            if (begin.memoized()) {
                finished = true;
                return new PhaseOutputs(PhaseNames.PPO, begin.executionId(), true, begin.outputs(), begin.metrics());
            }
            executionId = begin.executionId();
            nextIteration = 0;
            policy = in.policy();
            rlPrincipleSet = in.rlPrincipleSet();
        } else {
            executionId = c.phaseExecutionId();
            nextIteration = c.nextIteration();
            policy = c.policy();
            rlPrincipleSet = c.rlPrincipleSet();
            state.step(nextIteration, c.metrics(), policy);
            if (c.paused()) {
                state.pause(c.pauseReason());
            }
        }
        state.stage("iterate", in.iterations());
        state.step(nextIteration, null, policy);
        try {
            int ranThisRun = 0;
            while (nextIteration < in.iterations()) {
                if (ranThisRun == in.iterationsPerRun()) {
                    // Keep history bounded: hand the loop state to a fresh run once handlers are done.
                    Workflow.await(Workflow::isEveryHandlerFinished);
                    Workflow.continueAsNew(StrictJson.tree(in.next(new PpoContinuation(executionId, nextIteration,
                            policy, rlPrincipleSet, state.progress().metrics(), state.paused(),
                            state.progress().pauseReason()))));
                }
                state.awaitResumed();
                // A change being recorded applies to the next rollout, so wait for it to land.
                Workflow.await(() -> changesInFlight == 0);
                Map<String, Long> inputs = new LinkedHashMap<>();
                inputs.put("sft_model", in.policy());
                inputs.put("policy", policy);
                inputs.put("reward_model", in.rewardModel());
                inputs.put("prompt_pool", in.promptPool());
                int iteration = nextIteration;
                // The set in force when the segment is scheduled; the activity re-reads the recorded changes before
                // every rollout, so a change made while a segment runs lands at that segment's next rollout.
                iterationRunning = true;
                StepResult r = model.iteration(new StepCall(in.runId(), executionId, "iteration", inputs,
                        rlPrincipleSet, null, in.config(), iteration, in.iterations(), in.seed(), in.force()));
                iterationRunning = false;
                policy = r.output("policy");
                nextIteration = iteration + 1;
                ranThisRun++;
                state.step(nextIteration, r.metrics(), policy);
            }
            finished = true;
            Workflow.await(Workflow::isEveryHandlerFinished);
            Map<String, Double> metrics = new LinkedHashMap<>(state.progress().metrics());
            metrics.put("iterations", (double) in.iterations());
            metrics.put("final_rl_principle_set", (double) rlPrincipleSet);
            return runner.complete(PhaseNames.PPO, executionId,
                    new PhaseRunner.BodyResult(Map.of("policy_model", policy), metrics), state);
        } catch (TemporalFailure e) {
            runner.fail(executionId, e);
            throw e;
        }
    }

    @Override
    public void validateChange(PrincipleChange change) {
        if (change == null || change.principleSet() == null) {
            throw new IllegalArgumentException("principleSet (the new RL principle set id) is required");
        }
        if (change.actor() == null || change.actor().isBlank()) {
            throw new IllegalArgumentException("actor (who changes the principles) is required");
        }
        if (change.reason() == null || change.reason().isBlank()) {
            throw new IllegalArgumentException("reason (why the principles change) is required");
        }
        if (executionId < 0 || finished) {
            throw new IllegalStateException("PPO is not running rollouts (not started, memoized or finished)");
        }
    }

    @Override
    public PrincipleChangeReceipt changeRlPrinciples(PrincipleChange change) {
        PpoActivities control = Workflow.newActivityStub(PpoActivities.class, ActivityStubOptions.control());
        // The first iteration scheduled with the new set; a running iteration switches at its next rollout once
        // the change is recorded (the activity records that step as ppo.rl_principles.applied).
        int effective = iterationRunning ? nextIteration + 1 : nextIteration;
        changesInFlight++;
        PrincipleChangeReceipt receipt;
        try {
            receipt = control.recordPrincipleChange(new PrincipleChangeRecord(in.runId(), executionId,
                    Workflow.getInfo().getWorkflowId(), change.actor(), change.reason(), rlPrincipleSet,
                    change.principleSet(), effective));
            rlPrincipleSet = change.principleSet();
        } finally {
            changesInFlight--;
        }
        return receipt;
    }
}
