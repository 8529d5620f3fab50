package salmonrun.workflows.rewardmodel;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;

/** Trains the instructable reward model. */
@ActivityInterface
public interface RewardModelActivities {

    /** Trains the reward model with checkpoints, resuming from the newest (model queue); output {@code model}. */
    @ActivityMethod(name = "RewardModelTrain")
    StepResult train(StepCall call);
}
