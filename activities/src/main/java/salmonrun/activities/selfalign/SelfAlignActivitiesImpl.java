package salmonrun.activities.selfalign;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.StepRunner;
import salmonrun.activities.salmon.EngravingPhase;
import salmonrun.activities.salmon.Prompt;
import salmonrun.activities.salmon.PromptPoolPhase;
import salmonrun.activities.salmon.SelfAlignFilterPhase;
import salmonrun.activities.salmon.SelfAlignGenerationPhase;
import salmonrun.activities.sandbox.InstructionGenerator;
import salmonrun.activities.sandbox.Split;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.selfalign.SelfAlignActivities;

/** Phase I activities over the SALMON phase classes (prompt pool, generation shards, filter, engraving). */
public final class SelfAlignActivitiesImpl implements SelfAlignActivities {
    private final StepRunner runner;

    public SelfAlignActivitiesImpl(ActivityServices services, long reportMillis) {
        this.runner = new StepRunner(services, reportMillis).onModelThread();
    }

    @Override
    public StepResult buildPromptPool(StepCall call) {
        return runner.run("self_align.prompt_pool", call, ctx -> {
            SelfAlignConfig.PromptSource src = SelfAlignConfig.of(call.config(), 1).promptPool();
            List<PromptPoolPhase.Source> generated = new ArrayList<>();
            if (src.sandboxPrompts() > 0) {
                List<Prompt> prompts = InstructionGenerator.standard()
                        .sample(Split.TRAIN, src.sandboxPrompts(), src.sandboxSeed()).stream()
                        .map(i -> Prompt.of(i.text())).toList();
                generated.add(new PromptPoolPhase.Source("sandbox", prompts));
            }
            List<Path> files = src.files().stream().map(Path::of).toList();
            PromptPoolPhase.Result r = PromptPoolPhase.run(ctx.phase(),
                    new PromptPoolPhase.Config(src.minTokens(), src.maxTokens()), files, generated,
                    ctx.inputId("base_model"));
            return new StepResult(Map.of("prompt_pool", r.artifactId()), Map.of("prompts", (double) r.prompts(),
                    "too_short", (double) r.tooShort(), "too_long", (double) r.tooLong(),
                    "duplicates", (double) r.duplicates()), false);
        });
    }

    @Override
    public StepResult generateShard(StepCall call) {
        return runner.run("self_align.generate", call, ctx -> {
            SelfAlignConfig cfg = SelfAlignConfig.of(call.config(), call.shards());
            SelfAlignGenerationPhase.ShardResult r = SelfAlignGenerationPhase.runShard(ctx.phase(), cfg.generation(),
                    ctx.inputId("prompt_pool"), ctx.inputId("base_model"), ctx.principleSet(), ctx.exemplarSet(),
                    call.shard());
            return new StepResult(Map.of("shard", r.artifactId()), Map.of("generated", (double) r.generated(),
                    "too_long", (double) r.tooLong(), "rules", (double) r.rules(), "exemplars", (double) r.exemplars()),
                    false);
        });
    }

    @Override
    public StepResult filter(StepCall call) {
        return runner.run("self_align.filter", call, ctx -> {
            SelfAlignConfig cfg = SelfAlignConfig.of(call.config(), 1);
            List<Long> shards = new ArrayList<>();
            for (int i = 0; call.inputs().containsKey("shard:" + i); i++) {
                shards.add(call.inputs().get("shard:" + i));
            }
            SelfAlignFilterPhase.Result r = SelfAlignFilterPhase.run(ctx.phase(), cfg.filter(),
                    ctx.inputId("prompt_pool"), shards, ctx.exemplarSet());
            Map<String, Double> metrics = new java.util.TreeMap<>();
            metrics.put("seen", (double) r.seen());
            metrics.put("kept", (double) r.kept());
            r.drops().forEach((drop, n) -> metrics.put("dropped_" + drop.name().toLowerCase(), (double) n));
            return new StepResult(Map.of("self_align_data", r.artifactId()), metrics, false);
        });
    }

    @Override
    public StepResult engrave(StepCall call) {
        return runner.run("self_align.engrave", call, ctx -> {
            SelfAlignConfig cfg = SelfAlignConfig.of(call.config(), 1);
            EngravingPhase.Result r = EngravingPhase.run(ctx.phase(), cfg.engraving(), ctx.inputId("self_align_data"),
                    ctx.inputId("base_model"));
            Map<String, Double> metrics = new java.util.TreeMap<>();
            metrics.put("steps", (double) r.steps());
            metrics.put("resumed_from_step", (double) r.resumedFromStep());
            if (!r.losses().isEmpty()) {
                metrics.put("loss", (double) r.losses().get(r.losses().size() - 1));
            }
            return new StepResult(Map.of("model", r.checkpointArtifactId()), metrics, false);
        });
    }
}
