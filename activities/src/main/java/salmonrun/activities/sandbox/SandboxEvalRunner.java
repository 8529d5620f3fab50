package salmonrun.activities.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import salmonrun.activities.principles.DefaultPrinciples;
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.ExemplarSetFiles;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.PrincipleSetFiles;
import salmonrun.activities.principles.Role;

/**
 * {@code salmon sandbox eval}: loads a checkpoint, samples answers for a split's instructions with the plain chat
 * prompt and (with a principle set) with the self-alignment prompt, grades both, and optionally runs the judge
 * check for the set's labelling principles. Returns one JSON-ready map.
 */
public final class SandboxEvalRunner {

    /**
     * What to evaluate.
     *
     * @param principles a principle-set file (YAML/JSON) or {@code default}; null for the base prompt only
     * @param exemplars  an exemplar-set file or {@code default}
     * @param exemplarCount how many exemplars to place in context at most
     * @param judgePairs decisive pairs per labelling principle for the judge check; 0 skips it
     */
    public record Options(Path model, String principles, String exemplars, Split split, int limit, long seed,
                          int exemplarCount, int judgePairs, SandboxEval.Settings settings) {}

    /** Review documents the review probe reads per requested judge pair. */
    static final int REVIEW_DOCS_PER_JUDGE_PAIR = 3;

    private SandboxEvalRunner() {}

    /** Loads a principle set from a file path, or the shipped default for {@code default} / {@code salmon-default}. */
    public static PrincipleSet loadPrinciples(String ref) {
        if (ref.equals("default") || ref.equals("salmon-default")) {
            return DefaultPrinciples.principles();
        }
        Path p = Path.of(ref);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("principle set '" + ref + "' is neither a file nor 'default'");
        }
        return PrincipleSetFiles.read(p);
    }

    /** Loads an exemplar set from a file path, or the shipped default. */
    public static ExemplarSet loadExemplars(String ref) {
        if (ref == null || ref.equals("default") || ref.equals("salmon-default-exemplars")) {
            return DefaultPrinciples.exemplars();
        }
        Path p = Path.of(ref);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("exemplar set '" + ref + "' is neither a file nor 'default'");
        }
        return ExemplarSetFiles.read(p);
    }

    /** Runs the evaluation; {@code log} gets progress lines (stderr in the CLI). */
    public static Map<String, Object> run(Options o, Consumer<String> log) {
        List<Instruction> instructions = InstructionGenerator.standard().sample(o.split(), o.limit(), o.seed());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", o.model().toAbsolutePath().toString());
        out.put("split", o.split().name().toLowerCase());
        out.put("instructions", instructions.size());
        out.put("seed", o.seed());
        out.put("pretrain", SandboxPretrainer.readSummary(o.model()));
        SandboxEval eval = new SandboxEval();
        try (EngineSandboxModel model = EngineSandboxModel.load(o.model())) {
            long t = System.nanoTime();
            SandboxEval.Report base = eval.base(model, instructions, out.get("split").toString(), o.settings());
            log.accept(String.format("base: composite %.1f over %d instructions (%.0f s)", base.composite(), base.n(), (System.nanoTime() - t) / 1e9));
            out.put("base", base);
            if (o.principles() != null) {
                PrincipleSet set = loadPrinciples(o.principles());
                ExemplarSet ex = loadExemplars(o.exemplars());
                List<Principle> rules = set.withRole(Role.SELF_ALIGN);
                int reserve = 0;
                for (Instruction ins : instructions) {
                    reserve = Math.max(reserve, model.countTokens("\n" + ins.text() + "\n"));
                }
                int maxNew = o.settings().maxThoughtTokens() + o.settings().maxAnswerTokens();
                SelfAlignContext ctx = SelfAlignContext.fit(rules, ex.exemplars(), o.exemplarCount(), model::countTokens,
                        model.contextLength() - maxNew, reserve);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("principle_set", set.name());
                c.put("rules_in_context", ctx.rules().stream().map(SandboxFormats.RuleLine::name).toList());
                c.put("rules_in_set", rules.size());
                c.put("exemplars_in_context", ctx.examples().size());
                c.put("prompt_tokens_without_instruction", model.countTokens(ctx.prompt("")));
                out.put("context", c);
                t = System.nanoTime();
                SandboxEval.Report aligned = eval.selfAlign(model, ctx, instructions, out.get("split").toString(), o.settings());
                log.accept(String.format("self-align: composite %.1f (%.0f s)", aligned.composite(), (System.nanoTime() - t) / 1e9));
                out.put("self_align", aligned);
                out.put("gain", SandboxEval.round(aligned.composite() - base.composite()));
                if (o.judgePairs() > 0) {
                    List<JudgeCheck.Criterion> criteria = new ArrayList<>();
                    for (Principle p : set.withRole(Role.LABELLING)) {
                        criteria.add(new JudgeCheck.Criterion(p.name(), p.definition()));
                    }
                    t = System.nanoTime();
                    JudgeCheck check = new JudgeCheck(ResponseWriter.standard());
                    List<Instruction> judged = InstructionGenerator.standard().sample(o.split(), 400, o.seed() + 7);
                    List<JudgeCheck.Result> judge = check.run(model, criteria, judged, o.judgePairs(), o.seed());
                    out.put("judge", judge);
                    // The same check with the corpus's own criterion wording: tells a judge that never learned to
                    // compare apart from one that cannot carry it over to the principle set's wording.
                    List<JudgeCheck.Criterion> corpusCriteria = RuleBank.reviewCriteria();
                    out.put("judge_corpus_wording", check.run(model, corpusCriteria, judged, o.judgePairs(), o.seed()));
                    // In distribution: fresh corpus review documents, verdict letters and the reviewer's reasons.
                    out.put("review_probe", ReviewProbe.run(model, REVIEW_DOCS_PER_JUDGE_PAIR * o.judgePairs(), o.seed() + 11));
                    log.accept(String.format("judge check: %d principles + %d corpus criteria + review probe (%.0f s)",
                            judge.size(), corpusCriteria.size(), (System.nanoTime() - t) / 1e9));
                }
            }
        }
        return out;
    }
}
