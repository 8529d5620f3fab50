package salmonrun.activities.rewardmodel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BadInputException;
import salmonrun.activities.common.StepContext;
import salmonrun.activities.common.StepRunner;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.Role;
import salmonrun.activities.salmon.PhaseContext;
import salmonrun.activities.salmon.RewardModelConfig;
import salmonrun.activities.salmon.RewardModelPhase;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.rewardmodel.RewardModelActivities;

/** Trains the instructable reward model through {@link RewardModelPhase} (resumes from its newest checkpoint). */
public final class RewardModelActivitiesImpl implements RewardModelActivities {
    private final ActivityServices services;
    private final StepRunner runner;

    public RewardModelActivitiesImpl(ActivityServices services, long reportMillis) {
        this.services = services;
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
            List<Principle> labelling = new PrincipleRepository(services.db()).find(call.principleSetId())
                    .orElseThrow(() -> new BadInputException("principle set " + call.principleSetId() + " does not exist"))
                    .withRole(Role.LABELLING);
            RewardModelPhase.Result r = RewardModelPhase.run(phase(ctx), id(call, "base_model"),
                    id(call, "preference_data"), labelling, config(call.config()));
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

    static PhaseContext phase(StepContext ctx) {
        ActivityServices s = ctx.services();
        return new PhaseContext(s.lineage(), s.store(), ctx.executionId(), ctx.call().runId(), ctx.progress());
    }

    static long id(StepCall call, String role) {
        Long id = call.inputs().get(role);
        if (id == null) {
            throw new BadInputException(call.step() + ": missing input '" + role + "'");
        }
        return id;
    }
}
