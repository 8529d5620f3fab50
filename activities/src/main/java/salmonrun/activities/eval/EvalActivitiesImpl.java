package salmonrun.activities.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BadInputException;
import salmonrun.activities.common.PhaseConfigs;
import salmonrun.activities.common.StepRunner;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;
import salmonrun.activities.salmon.ChatFormat;
import salmonrun.activities.salmon.EvaluationPhase;
import salmonrun.activities.sandbox.InstructionGenerator;
import salmonrun.activities.sandbox.Split;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.eval.EvalActivities;
import salmonrun.workflows.eval.EvalInput;

/**
 * Evaluates each model on held-out sandbox instructions through {@link EvaluationPhase} (with inputs
 * {@code reward_model} and {@code reference}: the RM score under the call's principle set and the KL to the
 * reference), then summarises.
 */
public final class EvalActivitiesImpl implements EvalActivities {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EvalActivitiesImpl.class);
    private final ActivityServices services;
    private final StepRunner runner;

    public EvalActivitiesImpl(ActivityServices services, long reportMillis) {
        this.services = services;
        this.runner = new StepRunner(services, reportMillis).onModelThread();
    }

    /** The {@code eval} section: how many sandbox instructions of which split, and sampling settings. */
    public record Section(int items, long itemSeed, Split split, EvaluationPhase.Settings settings) {}

    private record Head(int items, long itemSeed, Split split) {}

    /** Reads the section strictly (settings override EvaluationPhase.Settings.defaults()). */
    public static Section config(JsonNode json) {
        PhaseConfigs.onlySections(json, Set.of("items", "itemSeed", "split", "settings",
                EvalInput.BASE_WITH_PRINCIPLES), "eval");
        if (json != null && json.has(EvalInput.BASE_WITH_PRINCIPLES) && !json.get(EvalInput.BASE_WITH_PRINCIPLES).isBoolean()) {
            throw new BadInputException("eval." + EvalInput.BASE_WITH_PRINCIPLES + " must be true or false, got "
                    + json.get(EvalInput.BASE_WITH_PRINCIPLES));
        }
        ObjectNode head = JSON.createObjectNode();
        if (json != null && json.isObject()) {
            for (String f : List.of("items", "itemSeed", "split")) {
                if (json.has(f)) {
                    head.set(f, json.get(f));
                }
            }
        }
        Head h = PhaseConfigs.read(head, new Head(32, 7, Split.TEST), Head.class, "eval");
        if (h.items() < 1) {
            throw new BadInputException("eval.items must be at least 1, got " + h.items());
        }
        return new Section(h.items(), h.itemSeed(), h.split(), PhaseConfigs.read(PhaseConfigs.section(json, "settings"),
                EvaluationPhase.Settings.defaults(), EvaluationPhase.Settings.class, "eval.settings"));
    }

    @Override
    public StepResult evaluate(StepCall call) {
        return runner.run("eval.model", call, ctx -> {
            Section s = config(call.config());
            PrincipleSet principles = call.principleSetId() == null ? null : ctx.principleSet();
            List<EvaluationPhase.Item> items = InstructionGenerator.standard().sample(s.split(), s.items(), s.itemSeed())
                    .stream().map(EvaluationPhase.Item::of).toList();
            long model = ctx.inputId("model");
            Long rewardModel = call.inputs().get("reward_model");
            Long reference = call.inputs().get("reference");
            if (rewardModel != null && !scoresWith(principles)) {
                // The reward model needs principles to judge by; without them there is no RM score to report.
                log.warn("{}: principle set {} gives the reward model no rl or intervention principles; no rm score",
                        call.step(), call.principleSetId());
                rewardModel = null;
            }
            EvaluationPhase.Result r = EvaluationPhase.evaluate(ctx.phase(), model, reference, rewardModel, principles,
                    ChatFormat.standard(), items, s.settings());
            Map<String, Double> metrics = new TreeMap<>();
            metrics.put("n", (double) r.report().n());
            metrics.put("mean_tokens", r.report().meanTokens());
            metrics.put("finished_rate", r.report().finishedRate());
            if (r.report().composite() != null) {
                metrics.put("composite", r.report().composite());
            }
            if (r.report().rmScore() != null) {
                metrics.put("rm_score", r.report().rmScore());
            }
            if (r.report().kl() != null) {
                metrics.put("kl", r.report().kl());
            }
            if (r.report().attributeTrueRates() != null) {
                r.report().attributeTrueRates().forEach((k, v) -> metrics.put("rate_" + k, v));
            }
            return new StepResult(Map.of("evaluation", r.evaluationArtifactId()), metrics, false);
        });
    }

    /** Whether the set gives the reward model something to judge by (intervention or RL principles). */
    private static boolean scoresWith(PrincipleSet principles) {
        return principles != null && !(principles.withRole(Role.INTERVENTION).isEmpty() && principles.withRole(Role.RL).isEmpty());
    }

    @Override
    public StepResult evaluateWithPrinciples(StepCall call) {
        return runner.run("eval.model_principles", call, ctx -> {
            Section s = config(call.config());
            if (call.principleSetId() == null || call.exemplarSetId() == null) {
                throw new BadInputException(call.step() + ": needs a principle set and an exemplar set");
            }
            PrinciplesInContextEvaluation.Result r = PrinciplesInContextEvaluation.run(ctx,
                    InstructionGenerator.standard().sample(s.split(), s.items(), s.itemSeed()),
                    s.split().name().toLowerCase(java.util.Locale.ROOT), s.settings().temperature(),
                    s.settings().seed(), ctx.principleSet(), ctx.exemplarSet());
            return new StepResult(Map.of("evaluation", r.evaluationArtifactId()), r.metrics(), false);
        });
    }

    @Override
    public StepResult summarize(StepCall call) {
        return runner.run("eval.summarize", call, ctx -> {
            ObjectNode summary = JSON.createObjectNode();
            for (Map.Entry<String, Long> e : new TreeMap<>(call.inputs()).entrySet()) {
                Artifact a = services.lineage().artifact(e.getValue());
                ObjectNode one = summary.putObject(e.getKey().replace("evaluation:", ""));
                one.put("artifact", a.id());
                one.set("report", a.metadata().path("report"));
            }
            Artifact out = ctx.register("evaluation", services.store().putBytes(
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary).getBytes(StandardCharsets.UTF_8)),
                    JSON.createObjectNode().put("summary", true));
            return new StepResult(Map.of("evaluation", out.id()), Map.of("models", (double) summary.size()), false);
        });
    }
}
