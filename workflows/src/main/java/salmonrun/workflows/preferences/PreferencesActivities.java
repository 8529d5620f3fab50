package salmonrun.workflows.preferences;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;

/** Synthetic preferences: response pairs and principle-wise judging per shard, then aggregation. */
@ActivityInterface
public interface PreferencesActivities {

    /** Samples two responses per prompt of the pool with the policy (model queue); output {@code pairs}. */
    @ActivityMethod(name = "PreferencesResponsePairs")
    StepResult responsePairs(StepCall call);

    /** Judges shard {@code call.shard} of the pairs per labelling principle, both orders (model queue); output {@code judgements}. */
    @ActivityMethod(name = "PreferencesJudgeShard")
    StepResult judgeShard(StepCall call);

    /** Aggregates the judgement shards (inputs {@code pairs}, {@code judgements:<i>}; control queue); output {@code preference_data}. */
    @ActivityMethod(name = "PreferencesAggregate")
    StepResult aggregate(StepCall call);
}
