package salmonrun.workflows.selfalign;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;

/** Phase I activities: prompt pool, self-align generation per shard, filtering, principle engraving (SFT). */
@ActivityInterface
public interface SelfAlignActivities {

    /** Builds the prompt pool from the config (control queue); output {@code prompt_pool}. */
    @ActivityMethod(name = "SelfAlignPromptPool")
    StepResult buildPromptPool(StepCall call);

    /** Generates principle-driven responses for one shard of the prompt pool (model queue); output {@code shard}. */
    @ActivityMethod(name = "SelfAlignGenerateShard")
    StepResult generateShard(StepCall call);

    /** Filters and merges the shards (inputs {@code shard:<i>}, control queue); output {@code self_align_data}. */
    @ActivityMethod(name = "SelfAlignFilter")
    StepResult filter(StepCall call);

    /** Principle engraving: SFT of the base model on the filtered data, checkpointing (model queue); output {@code model}. */
    @ActivityMethod(name = "SelfAlignEngrave")
    StepResult engrave(StepCall call);
}
