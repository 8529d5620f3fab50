package salmonrun.activities.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.activities.common.StepContext;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;
import salmonrun.activities.salmon.Progress;
import salmonrun.activities.sandbox.EngineSandboxModel;
import salmonrun.activities.sandbox.Instruction;
import salmonrun.activities.sandbox.SandboxEval;
import salmonrun.activities.sandbox.SelfAlignContext;

/**
 * "Base with principles in context": the base model answers the eval instructions with the self-align prompt (the
 * set's self_align rules and up to {@value #EXEMPLARS} exemplars that fit the context, {@link SelfAlignContext}), the
 * answer after the thoughts is graded by the sandbox grader ({@link SandboxEval#selfAlign}, the code behind
 * {@code salmon sandbox eval --principles}). A format failure (no thoughts prefix or answer marker) grades an empty
 * answer. This is what self-alignment distils into the SFT model, so it is the row SFT is compared with.
 */
final class PrinciplesInContextEvaluation {
    /** Exemplars in context at most (a 512-token sandbox context holds about two). */
    static final int EXEMPLARS = 2;
    /** Token budgets of the thoughts and of the answer; thoughts + answer + prompt must fit the context. */
    static final int THOUGHT_TOKENS = 64;
    static final int ANSWER_TOKENS = 96;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrinciplesInContextEvaluation() {}

    /** Evaluates the call's {@code model} input and registers the {@code evaluation} artifact; returns its figures. */
    static Result run(StepContext ctx, List<Instruction> instructions, String split, double temperature, long seed,
                      PrincipleSet principles, ExemplarSet exemplars) {
        SandboxEval.Settings settings = new SandboxEval.Settings(ANSWER_TOKENS, THOUGHT_TOKENS, temperature, seed, 0);
        ctx.progress().onProgress(new Progress("evaluate", 0, instructions.size(), Map.of(), null));
        SandboxEval.Report report;
        int rules;
        int shown;
        try (EngineSandboxModel model = EngineSandboxModel.load(ctx.inputPath("model"))) {
            int reserve = 0;
            for (Instruction ins : instructions) {
                reserve = Math.max(reserve, model.countTokens("\n" + ins.text() + "\n"));
            }
            SelfAlignContext context = SelfAlignContext.fit(principles.withRole(Role.SELF_ALIGN),
                    exemplars.exemplars(), EXEMPLARS, model::countTokens,
                    model.contextLength() - THOUGHT_TOKENS - ANSWER_TOKENS, reserve);
            rules = context.rules().size();
            shown = context.examples().size();
            report = new SandboxEval().selfAlign(model, context, instructions, split, settings);
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("n", report.n());
        r.put("composite", report.composite());
        r.put("formatOkRate", report.formatOkRate());
        ObjectNode rates = r.putObject("attributeTrueRates");
        report.attributes().forEach((name, rate) -> rates.put(name, rate.trueRate()));
        ObjectNode meta = JSON.createObjectNode().put("kind", "model-evaluation")
                .put("mode", "base with principles and exemplars in context (SandboxEval.selfAlign)");
        meta.set("report", r);
        meta.set("settings", JSON.valueToTree(Map.of("max_thought_tokens", THOUGHT_TOKENS, "max_answer_tokens",
                ANSWER_TOKENS, "temperature", temperature, "seed", seed, "rules_in_context", rules,
                "exemplars_in_context", shown)));
        meta.put("principle_set", principles.name());
        if (principles.contentHash() != null) {
            meta.put("principle_set_hash", principles.contentHash());
        }
        if (exemplars.contentHash() != null) {
            meta.put("exemplar_set_hash", exemplars.contentHash());
        }
        byte[] file;
        try {
            file = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not write the evaluation report: " + e.getMessage(), e);
        }
        Artifact a = ctx.register("evaluation", ctx.services().store().putBytes(file), meta);
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("n", (double) report.n());
        metrics.put("composite", report.composite());
        metrics.put("format_ok_rate", report.formatOkRate());
        report.attributes().forEach((name, rate) -> metrics.put("rate_" + name, rate.trueRate()));
        ctx.progress().onProgress(new Progress("evaluate", instructions.size(), instructions.size(),
                Map.of("composite", report.composite()), null));
        return new Result(a.id(), metrics);
    }

    /** The registered evaluation and the step's figures. */
    record Result(long evaluationArtifactId, Map<String, Double> metrics) {}
}
