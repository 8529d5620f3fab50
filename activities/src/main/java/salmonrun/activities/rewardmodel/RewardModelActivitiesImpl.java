package salmonrun.activities.rewardmodel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BadInputException;
import salmonrun.activities.common.StepRunner;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;
import salmonrun.activities.salmon.RewardModelConfig;
import salmonrun.activities.salmon.RewardModelPhase;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.rewardmodel.RewardModelActivities;

/** Trains the instructable reward model through {@link RewardModelPhase} (resumes from its newest checkpoint). */
public final class RewardModelActivitiesImpl implements RewardModelActivities {
    private final StepRunner runner;

    public RewardModelActivitiesImpl(ActivityServices services, long reportMillis) {
        this.runner = new StepRunner(services, reportMillis).onModelThread();
    }

    /** The {@code rewardModel} section of a RunSpec: RewardModelConfig fields overriding its defaults. */
    public static RewardModelConfig config(com.fasterxml.jackson.databind.JsonNode json) {
        try {
            return RewardModelConfig.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("rewardModel: " + e.getMessage(), e);
        }
    }

    @Override
    public StepResult train(StepCall call) {
        return runner.run("reward_model.train", call, ctx -> {
            List<Principle> labelling = ctx.principleSet().withRole(Role.LABELLING);
            RewardModelPhase.Result r = RewardModelPhase.run(ctx.phase(), ctx.inputId("base_model"),
                    ctx.inputId("preference_data"), labelling, config(call.config()));
            Map<String, Double> metrics = new TreeMap<>();
            metrics.put("steps", (double) r.steps());
            metrics.put("train_pairs", (double) r.trainPairs());
            metrics.put("held_out_pairs", (double) r.heldOutPairs());
            if (r.heldOutAccuracy() != null) {
                metrics.put("held_out_accuracy", r.heldOutAccuracy());
            }
            return new StepResult(Map.of("model", r.checkpointArtifactId(), "evaluation", r.evaluationArtifactId()),
                    metrics, false);
        });
    }
}
