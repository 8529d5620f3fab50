package salmonrun.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The review probe reads every verdict and reason word of the documents it draws, and scores them right. */
class ReviewProbeTest {

    /** A model that has read the probe's documents: it continues each prompt as its document does (or the opposite). */
    private record DocumentOracle(List<String> docs, boolean contrary) implements SandboxModel {
        private String continuationOf(String prompt) {
            for (String d : docs) {
                if (d.startsWith(prompt) && d.length() > prompt.length()) {
                    return d.substring(prompt.length());
                }
            }
            throw new AssertionError("prompt is not a prefix of any probe document: " + prompt);
        }

        @Override
        public double[] judgeScores(List<String> prompts) {
            return prompts.stream().mapToDouble(p -> (continuationOf(p).startsWith("a") ^ contrary) ? 1 : -1).toArray();
        }

        @Override
        public double[] continuationLogProbs(List<String> prompts, List<String> continuations) {
            double[] out = new double[prompts.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (continuationOf(prompts.get(i)).startsWith(continuations.get(i) + ",")
                        || continuationOf(prompts.get(i)).startsWith(continuations.get(i) + ".")) ^ contrary ? 0 : -1;
            }
            return out;
        }

        @Override
        public List<String> generate(List<String> prompts, int maxNewTokens, double temperature, long seed) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int countTokens(String text) {
            return text.length() / 4;
        }

        @Override
        public int contextLength() {
            return 100_000;
        }
    }

    private static List<String> probeDocuments(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(CorpusGenerator.standard().document(CorpusGenerator.DocKind.REVIEW, rng));
        }
        return docs;
    }

    @Test
    void aModelThatKnowsTheDocumentsAgreesEverywhereAndItsOppositeNowhere() {
        List<String> docs = probeDocuments(40, 5);
        ReviewProbe.Result right = ReviewProbe.run(new DocumentOracle(docs, false), 40, 5);
        assertEquals(40, right.documents());
        assertTrue(right.verdicts() > 80, "first verdicts and follow-ups: " + right.verdicts());
        assertEquals(1.0, right.verdictAgreement());
        assertEquals(1 - CorpusGenerator.REVIEW_NOISE, right.verdictCeiling(), 1e-9);
        assertEquals(Attribute.values().length, right.verdictsByAttribute().size(), "" + right.verdictsByAttribute());
        assertEquals(right.verdicts(), right.verdictsByAttribute().values().stream().mapToInt(ReviewProbe.Verdicts::verdicts).sum());
        right.verdictsByAttribute().values().forEach(v -> assertEquals(1.0, v.agreement(), "" + right.verdictsByAttribute()));
        assertTrue(right.reasons().keySet().containsAll(List.of("concise", "polite", "no_self_praise", "on_topic")), right.reasons().toString());
        right.reasons().values().forEach(r -> assertEquals(1.0, r.accuracy(), "" + right.reasons()));
        int words = right.reasons().values().stream().mapToInt(ReviewProbe.Reason::words).sum();
        assertTrue(words > 40 * 2 * 4, "every reason word of both outputs: " + words);

        ReviewProbe.Result wrong = ReviewProbe.run(new DocumentOracle(docs, true), 40, 5);
        assertEquals(0.0, wrong.verdictAgreement());
        wrong.verdictsByAttribute().values().forEach(v -> assertEquals(0.0, v.agreement(), "" + wrong.verdictsByAttribute()));
        wrong.reasons().values().forEach(r -> assertEquals(0.0, r.accuracy(), "" + wrong.reasons()));
    }
}
