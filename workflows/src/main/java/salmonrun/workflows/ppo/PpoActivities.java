package salmonrun.workflows.ppo;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;

/** PPO with RL-time principles, one rollout + update round per activity. */
@ActivityInterface
public interface PpoActivities {

    /**
     * One PPO iteration (call.shard is the iteration, call.principleSetId the RL principles in force when it was
     * scheduled; changes recorded later are read before every rollout): rollouts scored by the reward model under
     * those principles, then policy/value updates (model queue). Outputs {@code policy} (checkpoint; the rehearsal
     * also {@code rollouts}); metrics reward, kl, loss, rl_principle_set.
     */
    @ActivityMethod(name = "PpoIteration")
    StepResult iteration(StepCall call);

    /** Validates the new principle set and appends the change to the audit log (control queue). */
    @ActivityMethod(name = "PpoRecordPrincipleChange")
    PrincipleChangeReceipt recordPrincipleChange(PrincipleChangeRecord change);
}
