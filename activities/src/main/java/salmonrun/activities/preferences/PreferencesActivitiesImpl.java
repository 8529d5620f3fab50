package salmonrun.activities.preferences;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.StepRunner;
import salmonrun.activities.salmon.AggregationPhase;
import salmonrun.activities.salmon.JudgingPhase;
import salmonrun.activities.salmon.ResponsePairsPhase;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.preferences.PreferencesActivities;

/** Synthetic preference activities over the SALMON phase classes (pairs, judging shards, aggregation). */
public final class PreferencesActivitiesImpl implements PreferencesActivities {
    private final StepRunner runner;

    public PreferencesActivitiesImpl(ActivityServices services, long reportMillis) {
        this.runner = new StepRunner(services, reportMillis).onModelThread();
    }

    @Override
    public StepResult responsePairs(StepCall call) {
        return runner.run("preferences.response_pairs", call, ctx -> {
            PreferencesConfig cfg = PreferencesConfig.of(call.config(), 1);
            ResponsePairsPhase.Result r = ResponsePairsPhase.run(ctx.phase(), cfg.pairs(), ctx.inputId("prompt_pool"),
                    ctx.inputId("policy"));
            return new StepResult(Map.of("pairs", r.artifactId()), Map.of("prompts", (double) r.prompts(),
                    "pairs", (double) r.pairs(), "too_long", (double) r.tooLong()), false);
        });
    }

    @Override
    public StepResult judgeShard(StepCall call) {
        return runner.run("preferences.judge", call, ctx -> {
            PreferencesConfig cfg = PreferencesConfig.of(call.config(), call.shards());
            JudgingPhase.ShardResult r = JudgingPhase.runShard(ctx.phase(), cfg.judging(), ctx.inputId("pairs"),
                    ctx.inputId("judge"), ctx.principleSet(), call.shard());
            return new StepResult(Map.of("judgements", r.artifactId()), Map.of("pairs", (double) r.pairs(),
                    "too_long", (double) r.tooLong()), false);
        });
    }

    @Override
    public StepResult aggregate(StepCall call) {
        return runner.run("preferences.aggregate", call, ctx -> {
            PreferencesConfig cfg = PreferencesConfig.of(call.config(), 1);
            List<Long> shards = new ArrayList<>();
            for (int i = 0; call.inputs().containsKey("judgements:" + i); i++) {
                shards.add(call.inputs().get("judgements:" + i));
            }
            AggregationPhase.Result r = AggregationPhase.run(ctx.phase(), cfg.aggregation(), ctx.inputId("pairs"),
                    shards, ctx.principleSet(), null);
            Map<String, Double> metrics = new TreeMap<>();
            metrics.put("examples", (double) r.examples());
            return new StepResult(Map.of("preference_data", r.artifactId()), metrics, false);
        });
    }
}
