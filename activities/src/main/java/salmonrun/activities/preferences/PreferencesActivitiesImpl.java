package salmonrun.activities.preferences;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BadInputException;
import salmonrun.activities.common.StepContext;
import salmonrun.activities.common.StepRunner;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.salmon.AggregationPhase;
import salmonrun.activities.salmon.JudgingPhase;
import salmonrun.activities.salmon.PhaseContext;
import salmonrun.activities.salmon.ResponsePairsPhase;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.preferences.PreferencesActivities;

/** Synthetic preference activities over the SALMON phase classes (pairs, judging shards, aggregation). */
public final class PreferencesActivitiesImpl implements PreferencesActivities {
    private final ActivityServices services;
    private final StepRunner runner;

    public PreferencesActivitiesImpl(ActivityServices services, long reportMillis) {
        this.services = services;
        this.runner = new StepRunner(services, reportMillis).onModelThread();
    }

    private static PhaseContext phase(StepContext ctx) {
        ActivityServices s = ctx.services();
        return new PhaseContext(s.lineage(), s.store(), ctx.executionId(), ctx.call().runId(), ctx.progress());
    }

    private PrincipleSet principles(StepCall call) {
        return new PrincipleRepository(services.db()).find(call.principleSetId()).orElseThrow(() ->
                new BadInputException("principle set " + call.principleSetId() + " does not exist"));
    }

    private static long input(StepCall call, String role) {
        Long id = call.inputs().get(role);
        if (id == null) {
            throw new BadInputException(call.step() + ": missing input '" + role + "'");
        }
        return id;
    }

    @Override
    public StepResult responsePairs(StepCall call) {
        return runner.run("preferences.response_pairs", call, ctx -> {
            PreferencesConfig cfg = PreferencesConfig.of(call.config(), 1);
            ResponsePairsPhase.Result r = ResponsePairsPhase.run(phase(ctx), cfg.pairs(), input(call, "prompt_pool"),
                    input(call, "policy"));
            return new StepResult(Map.of("pairs", r.artifactId()), Map.of("prompts", (double) r.prompts(),
                    "pairs", (double) r.pairs(), "too_long", (double) r.tooLong()), false);
        });
    }

    @Override
    public StepResult judgeShard(StepCall call) {
        return runner.run("preferences.judge", call, ctx -> {
            PreferencesConfig cfg = PreferencesConfig.of(call.config(), call.shards());
            JudgingPhase.ShardResult r = JudgingPhase.runShard(phase(ctx), cfg.judging(), input(call, "pairs"),
                    input(call, "judge"), principles(call), call.shard());
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
            AggregationPhase.Result r = AggregationPhase.run(phase(ctx), cfg.aggregation(), input(call, "pairs"),
                    shards, principles(call), null);
            Map<String, Double> metrics = new TreeMap<>();
            metrics.put("examples", (double) r.examples());
            return new StepResult(Map.of("preference_data", r.artifactId()), metrics, false);
        });
    }
}
