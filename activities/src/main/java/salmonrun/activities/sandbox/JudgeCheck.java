package salmonrun.activities.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import salmonrun.activities.salmon.JudgePrompt;

/**
 * Does the model, prompted as a judge (format 3), prefer the answer the grader prefers? For each labelling
 * principle the sandbox can grade, builds decisive pairs of written answers to test-split instructions, scores both
 * orders and reports agreement under the reference rule (keep only same-sign order scores) and the bias-cancelling
 * rule (sign of the mean of both orders).
 */
public final class JudgeCheck {

    /** A labelling principle: name and the definition shown to the judge. */
    public record Criterion(String name, String definition) {}

    /**
     * Per-principle result.
     *
     * @param target         what the grader compares ("polite", "composite", ...)
     * @param pairs          decisive pairs scored
     * @param meanAccuracy   share of pairs where sign((s12+s21)/2) picks the grader's better answer (bias cancelled)
     * @param keptReference  share of pairs the reference rule keeps (s12 and s21 of the same sign)
     * @param referenceAgreement share of kept pairs whose label agrees with the grader
     * @param firstOrderAccuracy share of pairs where s12 alone picks the grader's better answer
     * @param meanBias       mean of (s12 - s21)/2: the judge's preference for position (a)
     */
    public record Result(String principle, String target, int pairs, Double meanAccuracy, Double keptReference,
                         Double referenceAgreement, Double firstOrderAccuracy, Double meanBias) {}

    private static final JudgePrompt JUDGE = new JudgePrompt(SandboxFormats.ASSISTANT);

    private final ResponseWriter writer;
    private final SandboxGraderVerdict verdict = new SandboxGraderVerdict(List.of());

    public JudgeCheck(ResponseWriter writer) {
        this.writer = writer;
    }

    /** Results for every criterion the sandbox can grade (others are skipped and listed with pairs = 0). */
    public List<Result> run(SandboxModel model, List<Criterion> criteria, List<Instruction> instructions, int pairsPerCriterion, long seed) {
        List<Result> results = new ArrayList<>();
        for (Criterion c : criteria) {
            Optional<LabellingTarget> target = LabellingTarget.of(c.name(), c.definition());
            if (target.isEmpty()) {
                results.add(new Result(c.name(), "not_graded", 0, null, null, null, null, null));
                continue;
            }
            results.add(check(model, c, target.get(), instructions, pairsPerCriterion, new SplittableRandom(seed ^ c.name().hashCode())));
        }
        return results;
    }

    private Result check(SandboxModel model, Criterion c, LabellingTarget t, List<Instruction> instructions, int want, SplittableRandom rng) {
        List<Instruction> usable = instructions.stream().filter(i -> t.appliesTo(i.kind())).toList();
        List<String> p12 = new ArrayList<>();
        List<String> p21 = new ArrayList<>();
        List<Boolean> firstBetter = new ArrayList<>();
        for (int attempt = 0; firstBetter.size() < want && attempt < want * 50 && !usable.isEmpty(); attempt++) {
            Instruction ins = usable.get(rng.nextInt(usable.size()));
            Style s1 = Style.random(rng, 0.5);
            Style s2 = Style.random(rng, 0.5);
            Attribute a = t.attributeFor(ins.kind());
            if (a != null) {
                s2 = s2.with(a, !s1.is(a));
            }
            String o1 = writer.write(ins, s1, rng);
            String o2 = writer.write(ins, s2, rng);
            int preferred = verdict.preferred(ins, o1, o2, c.name(), c.definition());
            if (preferred == 0) {
                continue; // not decisive under the grader
            }
            boolean better = preferred == 1;
            String j12 = JUDGE.render(ins.text(), o1, o2, c.name(), c.definition());
            String j21 = JUDGE.render(ins.text(), o2, o1, c.name(), c.definition());
            if (model.countTokens(j12) > model.contextLength() || model.countTokens(j21) > model.contextLength()) {
                continue; // too long for this model's context: the pair cannot be judged at all
            }
            p12.add(j12);
            p21.add(j21);
            firstBetter.add(better);
        }
        int n = firstBetter.size();
        if (n == 0) {
            return new Result(c.name(), t.describe(), 0, null, null, null, null, null);
        }
        double[] s12 = model.judgeScores(p12);
        double[] s21raw = model.judgeScores(p21);
        int meanOk = 0;
        int kept = 0;
        int keptOk = 0;
        int firstOk = 0;
        double bias = 0;
        for (int i = 0; i < n; i++) {
            double a12 = s12[i];
            double a21 = -s21raw[i]; // s21 = logit(b) - logit(a) with the order swapped: positive means o1 better
            boolean truth = firstBetter.get(i);
            meanOk += ((a12 + a21) > 0) == truth ? 1 : 0;
            firstOk += (a12 > 0) == truth ? 1 : 0;
            if (Math.signum(a12) == Math.signum(a21) && a12 != 0) {
                kept++;
                keptOk += (a12 > 0) == truth ? 1 : 0;
            }
            bias += (a12 - a21) / 2;
        }
        return new Result(c.name(), t.describe(), n, SandboxEval.round(meanOk / (double) n), SandboxEval.round(kept / (double) n),
                kept == 0 ? null : SandboxEval.round(keptOk / (double) kept), SandboxEval.round(firstOk / (double) n),
                SandboxEval.round(bias / n));
    }
}
