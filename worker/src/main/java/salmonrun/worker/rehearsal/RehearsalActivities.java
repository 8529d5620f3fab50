package salmonrun.worker.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.PhaseValidation;
import salmonrun.activities.common.StepContext;
import salmonrun.activities.common.StepRunner;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.ppo.PrincipleChanges;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.eval.EvalActivities;
import salmonrun.workflows.ppo.PpoActivities;
import salmonrun.workflows.ppo.PrincipleChangeReceipt;
import salmonrun.workflows.ppo.PrincipleChangeRecord;
import salmonrun.workflows.preferences.PreferencesActivities;
import salmonrun.workflows.rewardmodel.RewardModelActivities;
import salmonrun.workflows.selfalign.SelfAlignActivities;

/**
 * The orchestration rehearsal backend ({@code salmon worker --backend rehearsal}): implementations of every
 * phase activity interface that do small real work (text artifacts, {@link TinyTrainer} training with
 * checkpoints) through the production {@link StepRunner}, lineage and artifact store. They exercise and measure
 * the durable machinery (fan-out, heartbeats, resume from the newest registered checkpoint, memoization,
 * idempotent lineage writes, pause, principle changes) in seconds; they implement none of SALMON's method.
 * The fault tests and `salmon bench orchestration` run on them. Executions are counted in {@link #EXECUTIONS}
 * by step and shard (per JVM).
 */
public final class RehearsalActivities implements SelfAlignActivities, PreferencesActivities, RewardModelActivities,
        PpoActivities, EvalActivities {

    /** Executions per "step/shard" in this JVM (the in-process tests read it). */
    public static final Map<String, Integer> EXECUTIONS = new java.util.concurrent.ConcurrentHashMap<>();

    private final ActivityServices services;
    private final StepRunner runner;
    private final PrincipleChanges changes;

    public RehearsalActivities(ActivityServices services, long reportMillis) {
        this.services = services;
        this.runner = new StepRunner(services, reportMillis);
        this.changes = new PrincipleChanges(services, new PhaseValidation(services));
    }

    private static void count(StepCall call) {
        EXECUTIONS.merge(call.step() + "/" + call.shard(), 1, Integer::sum);
    }

    private static int cfg(StepCall call, String field, int dflt) {
        return call.config().path(field).asInt(dflt);
    }

    private static String text(StepContext ctx, String role) throws IOException {
        return Files.readString(ctx.inputPath(role));
    }

    private static StepResult one(String role, Artifact a, Map<String, Double> metrics) {
        return new StepResult(Map.of(role, a.id()), metrics, false);
    }

    private Artifact bytes(StepContext ctx, String kind, String content, ObjectNode meta) {
        return ctx.register(kind, services.store().putBytes(content.getBytes(StandardCharsets.UTF_8)), meta);
    }

    // ------------------------------------------------------------------ phase I

    @Override
    public StepResult buildPromptPool(StepCall call) {
        return runner.run("self_align.prompt_pool", call, ctx -> {
            count(call);
            StringBuilder sb = new StringBuilder();
            int n = cfg(call, "prompts", 24);
            for (int i = 0; i < n; i++) {
                long a = (call.seed() * 31 + i * 7) % 97;
                long b = (call.seed() * 17 + i * 13) % 89;
                sb.append("User: what is ").append(a).append(" plus ").append(b).append("?\n");
            }
            return one("prompt_pool", bytes(ctx, "prompt-pool", sb.toString(), null), Map.of("prompts", (double) n));
        });
    }

    @Override
    public StepResult generateShard(StepCall call) {
        return runner.run("self_align.generate", call, ctx -> {
            count(call);
            String[] prompts = text(ctx, "prompt_pool").split("\n");
            TinyTrainer base = TinyTrainer.load(ctx.inputPath("base_model"));
            StringBuilder sb = new StringBuilder();
            int done = 0;
            for (int i = call.shard(); i < prompts.length; i += call.shards()) {
                String q = prompts[i];
                String[] w = q.replaceAll("[^0-9 ]", " ").trim().split("\\s+");
                long sum = Long.parseLong(w[0]) + Long.parseLong(w[1]);
                String answer = q + "\nSalmon: The sum is " + sum + ".\n";
                double loss = base.loss(answer.getBytes(StandardCharsets.UTF_8));
                sb.append(answer);
                done++;
                ctx.progress().onProgress(new salmonrun.activities.salmon.Progress("generate", done, 0,
                        Map.of("base_loss", loss), null));
                sleepPerItem(call);
            }
            return one("shard", bytes(ctx, "self-align-shard", sb.toString(), null), Map.of("responses", (double) done));
        });
    }

    /** Optional per-item delay so fault tests can hit a shard while it runs (config {@code <step>ItemMillis}). */
    private static void sleepPerItem(StepCall call) throws InterruptedException {
        int ms = cfg(call, call.step() + "ItemMillis", 0);
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    @Override
    public StepResult filter(StepCall call) {
        return runner.run("self_align.filter", call, ctx -> {
            count(call);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; call.inputs().containsKey("shard:" + i); i++) {
                sb.append(text(ctx, "shard:" + i));
            }
            return one("self_align_data", bytes(ctx, "self-align-data", sb.toString(), null),
                    Map.of("kept", (double) sb.toString().split("\n").length / 2));
        });
    }

    @Override
    public StepResult engrave(StepCall call) {
        return runner.run("self_align.engrave", call, ctx -> train(ctx, "base_model", text(ctx, "self_align_data"),
                cfg(call, "steps", 60)));
    }

    /** Trains from the newest registered checkpoint of this execution, else from {@code initRole}. */
    private StepResult train(StepContext ctx, String initRole, String data, int steps) throws IOException {
        StepCall call = ctx.call();
        count(call);
        Optional<Artifact> newest = ctx.newestCheckpoint();
        Path init = newest.isPresent() ? services.store().resolve(newest.get().sha256()) : ctx.inputPath(initRole);
        TinyTrainer t = TinyTrainer.load(init);
        int start = newest.isPresent() ? t.step() : 0;
        if (newest.isEmpty()) {
            t.restart(); // a model loaded as the start of a new training run counts its steps from zero
        }
        Path work = Files.createTempDirectory("salmon-train-");
        try {
            TinyTrainer.Result r = t.train(data.getBytes(StandardCharsets.UTF_8), steps, cfg(call, "batch", 64),
                    0.5f, cfg(call, "checkpointEvery", 10), call.seed(), work, (dir, step) -> {
                        ObjectNode meta = JsonNodeFactory.instance.objectNode();
                        meta.put("step", step);
                        return ctx.register("checkpoint", dir, meta).id();
                    }, ctx.progress());
            ObjectNode meta = JsonNodeFactory.instance.objectNode();
            meta.put("step", r.step());
            meta.put("resumed_from_step", start);
            Artifact model = ctx.register("checkpoint", r.model(), meta);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", r.loss());
            metrics.put("steps", (double) r.step());
            metrics.put("resumed_from_step", (double) start);
            return new StepResult(Map.of("model", model.id()), metrics, false);
        } finally {
            deleteTree(work);
        }
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    // ------------------------------------------------------------------ preferences

    @Override
    public StepResult responsePairs(StepCall call) {
        return runner.run("preferences.response_pairs", call, ctx -> {
            count(call);
            String[] prompts = text(ctx, "prompt_pool").split("\n");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < prompts.length; i++) {
                sb.append(prompts[i]).append("\tA: I think so.\tB: Let me add the numbers carefully.\n");
                sleepPerItem(call);
                ctx.progress().onProgress(new salmonrun.activities.salmon.Progress("pairs", i + 1, prompts.length,
                        Map.of(), null));
            }
            return one("pairs", bytes(ctx, "response-pairs", sb.toString(), null), Map.of("pairs", (double) prompts.length));
        });
    }

    @Override
    public StepResult judgeShard(StepCall call) {
        return runner.run("preferences.judge", call, ctx -> {
            count(call);
            TinyTrainer judge = TinyTrainer.load(ctx.inputPath("judge"));
            String[] pairs = text(ctx, "pairs").split("\n");
            StringBuilder sb = new StringBuilder();
            int n = 0;
            for (int i = call.shard(); i < pairs.length; i += call.shards()) {
                String[] f = pairs[i].split("\t");
                double a = judge.loss(f[1].getBytes(StandardCharsets.UTF_8));
                double b = judge.loss(f[2].getBytes(StandardCharsets.UTF_8));
                sb.append(f[0]).append('\t').append(a <= b ? "A" : "B").append('\n');
                n++;
                sleepPerItem(call);
                ctx.progress().onProgress(new salmonrun.activities.salmon.Progress("judge", n, 0, Map.of(), null));
            }
            return one("judgements", bytes(ctx, "judgement-shard", sb.toString(), null), Map.of("labels", (double) n));
        });
    }

    @Override
    public StepResult aggregate(StepCall call) {
        return runner.run("preferences.aggregate", call, ctx -> {
            count(call);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; call.inputs().containsKey("judgements:" + i); i++) {
                sb.append(text(ctx, "judgements:" + i));
            }
            return one("preference_data", bytes(ctx, "preference-dataset", sb.toString(), null),
                    Map.of("labels", (double) sb.toString().split("\n").length));
        });
    }

    // ------------------------------------------------------------------ phase II

    @Override
    public StepResult train(StepCall call) {
        return runner.run("reward_model.train", call, ctx -> train(ctx, "base_model", text(ctx, "preference_data"),
                cfg(call, "steps", 40)));
    }

    @Override
    public StepResult iteration(StepCall call) {
        return runner.run("ppo.iteration", call, ctx -> {
            // Rollout text carries the RL principle set in force, so a change shows in what is trained.
            String rollouts = text(ctx, "prompt_pool").replace("User:", "User[rl=" + call.principleSetId() + "]:");
            TinyTrainer rm = TinyTrainer.load(ctx.inputPath("reward_model"));
            double reward = -rm.loss(rollouts.getBytes(StandardCharsets.UTF_8));
            ObjectNode meta = JsonNodeFactory.instance.objectNode();
            meta.put("iteration", call.shard());
            meta.put("rl_principle_set", call.principleSetId());
            Artifact roll = bytes(ctx, "rollouts", rollouts, meta);
            TinyTrainer before = TinyTrainer.load(ctx.inputPath("policy"));
            double lossBefore = before.loss(rollouts.getBytes(StandardCharsets.UTF_8));
            StepResult trained = train(ctx, "policy", rollouts, cfg(call, "stepsPerIteration", 10));
            Map<String, Double> metrics = new LinkedHashMap<>(trained.metrics());
            metrics.put("reward", reward);
            metrics.put("kl", Math.abs(trained.metrics().get("loss") - lossBefore));
            return new StepResult(Map.of("policy", trained.output("model"), "rollouts", roll.id()), metrics, false);
        });
    }

    @Override
    public PrincipleChangeReceipt recordPrincipleChange(PrincipleChangeRecord change) {
        return changes.record(change);
    }

    // ------------------------------------------------------------------ eval

    @Override
    public StepResult evaluate(StepCall call) {
        return runner.run("eval.model", call, ctx -> {
            count(call);
            double loss = TinyTrainer.load(ctx.inputPath("model"))
                    .loss("User: what is 2 plus 3?\nSalmon: The sum is 5.\n".getBytes(StandardCharsets.UTF_8));
            ObjectNode meta = JsonNodeFactory.instance.objectNode();
            meta.put("loss", loss);
            return one("evaluation", bytes(ctx, "evaluation", meta.toString(), meta), Map.of("loss", loss));
        });
    }

    @Override
    public StepResult evaluateWithPrinciples(StepCall call) {
        // No principles are read: the rehearsal only needs the activity's durable shape.
        return evaluate(call);
    }

    @Override
    public StepResult summarize(StepCall call) {
        return runner.run("eval.summarize", call, ctx -> {
            count(call);
            ObjectNode all = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, Long> e : new java.util.TreeMap<>(call.inputs()).entrySet()) {
                JsonNode one = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text(ctx, e.getKey()));
                all.set(e.getKey(), one);
            }
            return one("evaluation", bytes(ctx, "evaluation", all.toString(), all), Map.of());
        });
    }
}
