package salmonrun.activities.sandbox;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples a model's answers for sandbox instructions and grades them: with a plain chat prompt (format 1), or with
 * rules and exemplars in context (format 2, the self-alignment prompt). Every figure comes from the {@link Grader}.
 */
public final class SandboxEval {

    /** The system prompt of the plain chat prompt (one of the corpus's own). */
    public static final String SYSTEM_PROMPT = CorpusGenerator.SYSTEM_PROMPTS.get(0);

    /** Generation settings. */
    public record Settings(int maxAnswerTokens, int maxThoughtTokens, double temperature, long seed, int samplesKept) {
        public static Settings defaults() {
            return new Settings(96, 64, 0.7, 1234L, 6);
        }
    }

    /** One graded sample, for the report. */
    public record Sample(String instruction, String kind, String answer, boolean formatOk, int composite) {}

    /** Rates of TRUE / FALSE / UNKNOWN for one attribute over the instructions it applies to. */
    public record Rates(int n, double trueRate, double falseRate, double unknownRate) {}

    /**
     * The report printed by {@code salmon sandbox eval --json}.
     *
     * @param mode          "base" (format 1) or "self_align" (format 2 with rules and exemplars)
     * @param composite     mean composite 0-100 over all instructions (a format failure scores 0)
     * @param formatOkRate  share of samples whose answer could be extracted and that reached the end-of-turn marker
     * @param compositeFormatOk mean composite over those samples only (null when there are none)
     * @param mixture       share of answers per composite band: "0-39", "40-69", "70-100"
     */
    public record Report(String mode, String split, int n, double composite, double formatOkRate, Double compositeFormatOk,
                         Map<String, Rates> attributes, Map<String, Double> compositeByKind,
                         Map<String, Double> mixture, List<Sample> samples) {}

    private final Grader grader = new Grader();

    /** Grades the model on the instructions with the plain chat prompt. */
    public Report base(SandboxModel model, List<Instruction> instructions, String split, Settings s) {
        List<String> prompts = new ArrayList<>();
        for (Instruction ins : instructions) {
            prompts.add(SandboxFormats.chatPrompt(SYSTEM_PROMPT, ins.text()));
        }
        List<String> outs = model.generate(prompts, s.maxAnswerTokens(), s.temperature(), s.seed());
        List<String> answers = new ArrayList<>();
        List<Boolean> ok = new ArrayList<>();
        for (String o : outs) {
            answers.add(SandboxFormats.cutResponse(o));
            ok.add(SandboxFormats.finished(o));
        }
        return report("base", split, instructions, answers, ok, s);
    }

    /** Grades the model with the self-alignment prompt (rules and exemplars of {@code ctx} in context). */
    public Report selfAlign(SandboxModel model, SelfAlignContext ctx, List<Instruction> instructions, String split, Settings s) {
        List<String> prompts = new ArrayList<>();
        for (Instruction ins : instructions) {
            prompts.add(ctx.prompt(ins.text()));
        }
        List<String> outs = model.generate(prompts, s.maxThoughtTokens() + s.maxAnswerTokens(), s.temperature(), s.seed());
        List<String> answers = new ArrayList<>();
        List<Boolean> ok = new ArrayList<>();
        for (String o : outs) {
            String a = SandboxFormats.answerFromThoughts(o);
            answers.add(a == null ? "" : a);
            ok.add(a != null && SandboxFormats.finished(o.substring(o.indexOf(SandboxFormats.answerMarker()) + 1)));
        }
        return report("self_align", split, instructions, answers, ok, s);
    }

    Report report(String mode, String split, List<Instruction> instructions, List<String> answers, List<Boolean> ok, Settings s) {
        int n = instructions.size();
        double sum = 0;
        double okSum = 0;
        int okCount = 0;
        Map<Attribute, int[]> counts = new EnumMap<>(Attribute.class);
        Map<Kind, double[]> byKind = new EnumMap<>(Kind.class);
        int[] bands = new int[3];
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instruction ins = instructions.get(i);
            Grade g = grader.grade(ins, answers.get(i));
            sum += g.composite();
            okCount += ok.get(i) ? 1 : 0;
            okSum += ok.get(i) ? g.composite() : 0;
            for (var e : g.attributes().entrySet()) {
                counts.computeIfAbsent(e.getKey(), k -> new int[3])[e.getValue().ordinal()]++;
            }
            double[] k = byKind.computeIfAbsent(ins.kind(), x -> new double[2]);
            k[0] += g.composite();
            k[1]++;
            bands[g.composite() < 40 ? 0 : g.composite() < 70 ? 1 : 2]++;
            if (samples.size() < s.samplesKept()) {
                samples.add(new Sample(ins.text(), ins.kind().name().toLowerCase(), answers.get(i), ok.get(i), g.composite()));
            }
        }
        Map<String, Rates> attrs = new LinkedHashMap<>();
        for (var e : counts.entrySet()) {
            int[] c = e.getValue();
            int t = c[0] + c[1] + c[2];
            attrs.put(e.getKey().jsonName(), new Rates(t, round(c[0] / (double) t), round(c[1] / (double) t), round(c[2] / (double) t)));
        }
        Map<String, Double> kinds = new LinkedHashMap<>();
        byKind.forEach((k, v) -> kinds.put(k.name().toLowerCase(), round(v[0] / v[1])));
        Map<String, Double> mixture = new LinkedHashMap<>();
        mixture.put("0-39", round(bands[0] / (double) Math.max(1, n)));
        mixture.put("40-69", round(bands[1] / (double) Math.max(1, n)));
        mixture.put("70-100", round(bands[2] / (double) Math.max(1, n)));
        return new Report(mode, split, n, round(sum / Math.max(1, n)), round(okCount / (double) Math.max(1, n)),
                okCount == 0 ? null : round(okSum / okCount),
                attrs, kinds, mixture, samples);
    }

    static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
