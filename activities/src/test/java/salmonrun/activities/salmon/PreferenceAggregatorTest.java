package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

class PreferenceAggregatorTest {
    static final List<Principle> DIMS = List.of(
            new Principle("Honest", "Admits what it does not know.", "Pretends to know.", 1, Role.LABELLING),
            new Principle("Brief", "Keeps it short.", "Rambles on.", 1, Role.LABELLING),
            new Principle("Harmless", "Refuses harm.", "Helps with harm.", 1, Role.LABELLING));
    static final AggregationConfig QUIET = AggregationConfig.reference().withoutNoise();

    static List<ResponsePair> pairs(int n) {
        List<ResponsePair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ResponsePair(i, Prompt.of("question " + i), "first answer " + i, "second answer " + i));
        }
        return out;
    }

    static List<Judgement> randomJudgements(int n, long seed) {
        Random r = new Random(seed);
        List<Judgement> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (Principle d : DIMS) {
                out.add(new Judgement(i, d.name(), r.nextGaussian() * 3, r.nextGaussian() * 3));
            }
        }
        return out;
    }

    @Test
    void singlePrincipleLabelsFollowTheSignRuleAndVarianceNormalisation() {
        List<Principle> one = DIMS.subList(0, 1);
        List<ResponsePair> ps = pairs(3);
        List<Judgement> js = List.of(new Judgement(0, "Honest", 2, 4), new Judgement(1, "Honest", -1, -3),
                new Judgement(2, "Honest", 5, -1));
        var res = PreferenceAggregator.aggregate(ps, js, one, QUIET.withSeed(3));
        // variance of {2, 4, -1, -3, 5, -1}: mean 1, squares 1+9+4+16+16+4 = 50, /6
        assertEquals(50.0 / 6, res.variances().get("Honest"), 1e-12);
        // pair 2 disagrees across orders -> score 0 -> skipped in every pass
        assertEquals(4, res.zeroScore());
        assertEquals(8, res.examples().size());
        for (PreferenceExample e : res.examples()) {
            PreferenceExample.Choice c = e.dimensions().get(0);
            double expected = (e.exampleIdx() == 0 ? 3.0 : -2.0) / (50.0 / 6) * (c.negated() ? -1 : 1);
            assertEquals(expected, c.score(), 1e-12);
            assertEquals(c.negated() ? "Pretends to know." : "Admits what it does not know.", c.definition());
            assertEquals(expected > 0 ? 1 : 2, e.preference());
        }
        // the bias-cancelling rule keeps pair 2 (mean 2 > 0)
        var mean = PreferenceAggregator.aggregate(ps, js, one, QUIET.withRule(AggregationConfig.JudgingRule.MEAN));
        assertEquals(12, mean.examples().size());
    }

    @Test
    void labelIsTheDominantPrinciplesSign() {
        var res = PreferenceAggregator.aggregate(pairs(200), randomJudgements(200, 1), DIMS, QUIET);
        assertEquals(800 - res.zeroScore(), res.examples().size());
        for (PreferenceExample e : res.examples()) {
            double best = e.dimensions().stream().mapToDouble(c -> Math.abs(c.score())).max().orElseThrow();
            assertEquals(best, Math.abs(e.dimensions().get(e.dominantIndex()).score()));
            assertEquals(e.dimensions().get(e.dominantIndex()).score() > 0 ? 1 : 2, e.preference());
            assertFalse(e.flipped() || e.swapped() || e.ruleFlag());
            assertEquals(e.dimensions().size(), e.dimensions().stream().map(PreferenceExample.Choice::name).distinct().count());
        }
    }

    @Test
    void subsetSizesAreTruncatedGeometricAndNegationIsHalf() {
        AggregationConfig cfg = QUIET.withRule(AggregationConfig.JudgingRule.MEAN);
        var res = PreferenceAggregator.aggregate(pairs(2000), randomJudgements(2000, 2), DIMS, cfg);
        int[] sizes = new int[4];
        int negated = 0;
        int chosen = 0;
        for (PreferenceExample e : res.examples()) {
            sizes[e.dimensions().size()]++;
            for (var c : e.dimensions()) {
                chosen++;
                negated += c.negated() ? 1 : 0;
            }
        }
        // Geometric(0.2) truncated at 3: P(k) proportional to 0.2 * 0.8^(k-1) = 0.2, 0.16, 0.128
        double total = res.examples().size();
        double z = 0.2 + 0.16 + 0.128;
        assertEquals(0.2 / z, sizes[1] / total, 0.02);
        assertEquals(0.16 / z, sizes[2] / total, 0.02);
        assertEquals(0.128 / z, sizes[3] / total, 0.02);
        assertEquals(0.5, (double) negated / chosen, 0.02);
        // the unconditional Geometric draw has mean 1/p
        Random r = new Random(5);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum += PreferenceAggregator.geometric(r, 0.2);
        }
        assertEquals(5.0, sum / 100_000, 0.1);
    }

    @Test
    void noiseSwapAndRulesAreAppliedAtTheConfiguredRates() {
        AggregationConfig cfg = AggregationConfig.reference().withRule(AggregationConfig.JudgingRule.MEAN);
        var res = PreferenceAggregator.aggregate(pairs(2000), randomJudgements(2000, 3), DIMS, cfg);
        long flipped = res.examples().stream().filter(PreferenceExample::flipped).count();
        long swapped = res.examples().stream().filter(PreferenceExample::swapped).count();
        assertEquals(0.1, (double) flipped / res.examples().size(), 0.02);
        assertEquals(0.5, (double) swapped / res.examples().size(), 0.02);
        for (PreferenceExample e : res.examples()) {
            int fromScore = e.dimensions().get(e.dominantIndex()).score() > 0 ? 1 : 2;
            int expected = fromScore;
            if (e.flipped()) {
                expected = 3 - expected;
            }
            if (e.swapped()) {
                expected = 3 - expected;
                assertTrue(e.output1().startsWith("second"));
            }
            assertEquals(expected, e.preference());
        }
        // "As an AI language model" in exactly one output: the other is preferred half the time, flagged
        List<ResponsePair> ai = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ai.add(new ResponsePair(i, Prompt.of("q" + i), "As an AI language model, I cannot.", "Sure, here it is."));
        }
        var aiRes = PreferenceAggregator.aggregate(ai, randomJudgements(1000, 4), DIMS,
                AggregationConfig.reference().withRule(AggregationConfig.JudgingRule.MEAN));
        long flagged = aiRes.examples().stream().filter(PreferenceExample::ruleFlag).count();
        assertEquals(0.5, (double) flagged / aiRes.examples().size(), 0.03);
        long flaggedNoisy = aiRes.examples().stream().filter(e -> e.ruleFlag() && e.flipped()).count();
        assertEquals(0.25, (double) flaggedNoisy / flagged, 0.03);
    }

    @Test
    void languageRulePrefersTheAnswerInTheInstructionsScriptAndSkipsWhenBothMismatch() {
        List<ResponsePair> ps = List.of(
                new ResponsePair(0, Prompt.of("What is the weather like?"), "天气很好，谢谢。", "It is sunny today."),
                new ResponsePair(1, Prompt.of("Say hello."), "你好", "再见"));
        List<Judgement> js = new ArrayList<>();
        for (Principle d : DIMS) {
            js.add(new Judgement(0, d.name(), 3, 3)); // the judge prefers the Chinese answer
            js.add(new Judgement(1, d.name(), 1, 1));
            js.add(new Judgement(2, d.name(), -1, -1)); // a pair that is not in the pair list is ignored
        }
        AggregationConfig cfg = new AggregationConfig(List.of(), 3, 0.2, 8, 0.5, 0, 0, 0, List.of(), true,
                AggregationConfig.JudgingRule.SIGN_AGREEMENT, 9);
        var res = PreferenceAggregator.aggregate(ps, js, DIMS, cfg);
        assertEquals(3, res.bothLanguageMismatch());
        assertEquals(3, res.examples().size());
        res.examples().forEach(e -> {
            assertEquals(2, e.preference());
            assertTrue(e.ruleFlag());
        });
    }

    @Test
    void pairsMissingADimensionAreDropped() {
        List<Judgement> js = new ArrayList<>(randomJudgements(4, 6));
        js.removeIf(j -> j.exampleIdx() == 2 && j.dimension().equals("Brief"));
        var res = PreferenceAggregator.aggregate(pairs(4), js, DIMS, QUIET);
        assertEquals(1, res.missingDimensions());
        assertTrue(res.examples().stream().noneMatch(e -> e.exampleIdx() == 2));
    }

    @Test
    void sameInputsAndSeedGiveTheSameBytesAndAnotherSeedDoesNot() throws Exception {
        List<ResponsePair> ps = pairs(300);
        List<Judgement> js = randomJudgements(300, 7);
        AggregationConfig cfg = AggregationConfig.reference();
        byte[] a = dataset(ps, js, cfg);
        byte[] b = dataset(ps, new ArrayList<>(js), cfg);
        assertArrayEquals(a, b);
        assertEquals(sha(a), sha(b));
        assertNotEquals(sha(a), sha(dataset(ps, js, cfg.withSeed(43))));
        List<PreferenceExample> back = PreferenceDataset.readExamples(a);
        assertEquals(PreferenceAggregator.aggregate(ps, js, DIMS, cfg).examples().size(), back.size());
        // scores are stored rounded, so a re-write is stable
        assertArrayEquals(a, new PreferenceDataset(SalmonJson.MAPPER.createObjectNode(),
                SalmonJson.MAPPER.createObjectNode(), java.util.Map.of(), back).toBytes());
    }

    @Test
    void principleSetsAreValidated() {
        PrincipleSet none = new PrincipleSet(null, "rules-only", "h",
                List.of(new Principle("Correct", "Be correct.", null, 1, Role.SELF_ALIGN)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> PreferenceAggregator.dimensions(none, AggregationConfig.reference()));
        assertEquals("principle set 'rules-only' has no labelling principles", e.getMessage());
        PrincipleSet noNeg = new PrincipleSet(null, "s", "h",
                List.of(new Principle("Brief", "Keep it short.", " ", 1, Role.LABELLING)));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PreferenceAggregator.dimensions(noNeg, AggregationConfig.reference()))
                .getMessage().contains("'Brief' in set 's' has no negative definition"));
        PrincipleSet ok = new PrincipleSet(null, "s", "h", DIMS);
        AggregationConfig pick = new AggregationConfig(List.of("Harmless", "Honest"), 4, 0.2, 8, 0.5, 0.1, 0.25, 0.5,
                List.of(), true, AggregationConfig.JudgingRule.SIGN_AGREEMENT, 42);
        assertEquals(List.of(DIMS.get(2), DIMS.get(0)), PreferenceAggregator.dimensions(ok, pick));
        AggregationConfig unknown = new AggregationConfig(List.of("Polite"), 4, 0.2, 8, 0.5, 0.1, 0.25, 0.5,
                List.of(), true, AggregationConfig.JudgingRule.SIGN_AGREEMENT, 42);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PreferenceAggregator.dimensions(ok, unknown))
                .getMessage().contains("no labelling principle 'Polite'"));
    }

    static byte[] dataset(List<ResponsePair> ps, List<Judgement> js, AggregationConfig cfg) {
        var res = PreferenceAggregator.aggregate(ps, js, DIMS, cfg);
        var stats = PrincipleStatistics.compute(ps, js, DIMS, res.examples(), null);
        ObjectNode recipe = SalmonJson.MAPPER.createObjectNode().put("seed", cfg.seed());
        return new PreferenceDataset(recipe, SalmonJson.MAPPER.createObjectNode(), stats, res.examples()).toBytes();
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
