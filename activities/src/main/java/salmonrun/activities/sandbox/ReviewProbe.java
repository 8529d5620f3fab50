package salmonrun.activities.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What pretraining taught a base model about reviews, read in distribution: fresh review documents of the corpus
 * (train-split instructions, new pairs), cut before each verdict letter and before each word of the reviewer's
 * reasons. A base that states the reasons ("Output (a) is ... rude") but not the verdict can tell the answers apart
 * and fails only at comparing; one that cannot state the reasons never bound the attribute to the answer.
 */
public final class ReviewProbe {

    /**
     * @param documents        review documents read
     * @param verdicts         verdict letters scored (first verdicts and follow-ups)
     * @param verdictAgreement share of verdicts where logit(a) - logit(b) picks the document's letter
     * @param verdictCeiling   the agreement a perfect judge reaches: documents state the wrong verdict at times
     * @param verdictsByAttribute per attribute the criterion names: verdicts scored and the share agreeing
     * @param reasons          per attribute: share of reason words where the model prefers the stated word to its
     *                         opposite ("rude" over "courteous")
     */
    public record Result(int documents, int verdicts, double verdictAgreement, double verdictCeiling,
                         Map<String, Verdicts> verdictsByAttribute, Map<String, Reason> reasons) {}

    /** Verdicts scored under criteria about one attribute and the share the model got right. */
    public record Verdicts(int verdicts, double agreement) {}

    /** Reason words scored for one attribute and the share the model got right. */
    public record Reason(int words, double accuracy) {}

    private static final String VERDICT_CUE = "the better output is Output (";
    private static final String CRITERION_CUE = "against the criterion ";

    private ReviewProbe() {}

    /** Reads {@code documents} fresh review documents drawn with {@code seed}. */
    public static Result run(SandboxModel model, int documents, long seed) {
        CorpusGenerator corpus = CorpusGenerator.standard();
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> verdictPrompts = new ArrayList<>();
        List<Boolean> letterA = new ArrayList<>();
        List<Attribute> verdictAttribute = new ArrayList<>();
        List<String> reasonPrompts = new ArrayList<>();
        List<String> stated = new ArrayList<>();
        List<String> opposite = new ArrayList<>();
        List<Attribute> reasonAttribute = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            String doc = corpus.document(CorpusGenerator.DocKind.REVIEW, rng);
            for (int at = doc.indexOf(VERDICT_CUE); at >= 0; at = doc.indexOf(VERDICT_CUE, at + 1)) {
                String prompt = doc.substring(0, at + VERDICT_CUE.length());
                if (model.countTokens(prompt) <= model.contextLength()) {
                    verdictPrompts.add(prompt);
                    letterA.add(doc.charAt(prompt.length()) == 'a');
                    verdictAttribute.add(criterionAttribute(prompt));
                }
            }
            for (String cue : List.of(" Output (a) is ", ". Output (b) is ")) {
                int start = doc.indexOf(cue);
                if (start < 0) {
                    continue;   // a document without reasons (none is written so today)
                }
                int pos = start + cue.length() - 1;   // the space before the first word
                for (String word : doc.substring(pos + 1, doc.indexOf('.', pos + 1)).split(", ")) {
                    Attribute a = attributeOf(word);
                    String prompt = doc.substring(0, pos);
                    if (a != null && model.countTokens(prompt) < model.contextLength()) {
                        List<String> words = CorpusGenerator.ASSESSMENT_WORDS.get(a);
                        reasonPrompts.add(prompt);
                        stated.add(" " + word);
                        opposite.add(" " + words.get(words.get(0).equals(word) ? 1 : 0));
                        reasonAttribute.add(a);
                    }
                    pos += word.length() + 2;   // past ", "
                }
            }
        }
        double[] scores = model.judgeScores(verdictPrompts);
        boolean[] agrees = new boolean[scores.length];
        int agree = 0;
        for (int i = 0; i < scores.length; i++) {
            agrees[i] = (scores[i] > 0) == letterA.get(i);
            agree += agrees[i] ? 1 : 0;
        }
        Map<String, Verdicts> byAttribute = new LinkedHashMap<>();
        perAttribute(verdictAttribute, agrees, (a, n, share) -> byAttribute.put(a.jsonName(), new Verdicts(n, share)));
        double[] right = model.continuationLogProbs(reasonPrompts, stated);
        double[] wrong = model.continuationLogProbs(reasonPrompts, opposite);
        boolean[] prefersStated = new boolean[right.length];
        for (int i = 0; i < right.length; i++) {
            prefersStated[i] = right[i] > wrong[i];
        }
        Map<String, Reason> reasons = new LinkedHashMap<>();
        perAttribute(reasonAttribute, prefersStated, (a, n, share) -> reasons.put(a.jsonName(), new Reason(n, share)));
        return new Result(documents, scores.length, scores.length == 0 ? 0 : SandboxEval.round(agree / (double) scores.length),
                SandboxEval.round(1 - CorpusGenerator.REVIEW_NOISE), byAttribute, reasons);
    }

    private interface AttributeShare {
        void accept(Attribute attribute, int count, double share);
    }

    /** For each attribute with items, in enum order: how many items are about it and the share of them that are right. */
    private static void perAttribute(List<Attribute> about, boolean[] right, AttributeShare sink) {
        for (Attribute a : Attribute.values()) {
            int n = 0;
            int ok = 0;
            for (int i = 0; i < right.length; i++) {
                if (about.get(i) == a) {
                    n++;
                    ok += right[i] ? 1 : 0;
                }
            }
            if (n > 0) {
                sink.accept(a, n, SandboxEval.round(ok / (double) n));
            }
        }
    }

    /** The attribute whose bank name the verdict cue repeats ("against the criterion Courtesy, the better ..."). */
    private static Attribute criterionAttribute(String verdictPrompt) {
        int start = verdictPrompt.lastIndexOf(CRITERION_CUE) + CRITERION_CUE.length();
        String name = verdictPrompt.substring(start, verdictPrompt.length() - (", " + VERDICT_CUE).length());
        Attribute a = RuleBank.attributeNamed(name);
        if (a == null) {
            throw new IllegalStateException("review criterion '" + name + "' is not a rule-bank name");
        }
        return a;
    }

    private static Attribute attributeOf(String word) {
        for (Map.Entry<Attribute, List<String>> e : CorpusGenerator.ASSESSMENT_WORDS.entrySet()) {
            if (e.getValue().contains(word)) {
                return e.getKey();
            }
        }
        return null;
    }
}
