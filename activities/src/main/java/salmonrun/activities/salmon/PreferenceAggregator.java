package salmonrun.activities.salmon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

/**
 * Aggregation of principle-wise judgements into reward-model training examples (salmon-method.md P8).
 * Deterministic: one {@link Random} seeded from the config drives every draw in a fixed order (pass,
 * then pair in example order), and only {@link StrictMath} is used, so the same inputs give the same
 * examples on every JVM.
 */
public final class PreferenceAggregator {

    /** The examples plus what was dropped and why. */
    public record Result(List<PreferenceExample> examples, int pairs, int missingDimensions, int zeroScore,
            int bothLanguageMismatch, Map<String, Double> variances) {}

    private PreferenceAggregator() {}

    /** The labelling principles the config selects, validated (every one needs a negative definition). */
    public static List<Principle> dimensions(PrincipleSet set, AggregationConfig config) {
        List<Principle> labelling = set.withRole(Role.LABELLING);
        if (labelling.isEmpty()) {
            throw new IllegalArgumentException("principle set '" + set.name() + "' has no labelling principles");
        }
        List<Principle> chosen;
        if (config.dimensions().isEmpty()) {
            chosen = labelling;
        } else {
            Map<String, Principle> byName = new LinkedHashMap<>();
            labelling.forEach(p -> byName.put(p.name(), p));
            chosen = new ArrayList<>();
            for (String n : config.dimensions()) {
                Principle p = byName.get(n);
                if (p == null) {
                    throw new IllegalArgumentException("principle set '" + set.name() + "' has no labelling principle '"
                            + n + "' (has " + byName.keySet() + ")");
                }
                chosen.add(p);
            }
        }
        for (Principle p : chosen) {
            if (p.negativeDefinition() == null || p.negativeDefinition().isBlank()) {
                throw new IllegalArgumentException("labelling principle '" + p.name() + "' in set '" + set.name()
                        + "' has no negative definition (aggregation negates principles)");
            }
        }
        return chosen;
    }

    /** Aggregates judgements of the given pairs. */
    public static Result aggregate(List<ResponsePair> pairs, List<Judgement> judgements, List<Principle> dims,
            AggregationConfig config) {
        Map<String, Integer> dimIndex = new HashMap<>();
        for (int i = 0; i < dims.size(); i++) {
            dimIndex.put(dims.get(i).name(), i);
        }
        // scores[exampleIdx][dim] = {s12, s21}; later judgements of the same key replace earlier ones
        Map<Integer, double[][]> raw = new TreeMap<>();
        for (Judgement j : judgements) {
            Integer d = dimIndex.get(j.dimension());
            if (d == null) {
                continue;
            }
            raw.computeIfAbsent(j.exampleIdx(), k -> new double[dims.size()][])[d] = new double[] {j.s12(), j.s21()};
        }
        // population variance of all s12 and s21 of a dimension (np.var), over pairs with a full judgement set
        List<ResponsePair> complete = new ArrayList<>();
        int missing = 0;
        List<ResponsePair> ordered = new ArrayList<>(pairs);
        ordered.sort(java.util.Comparator.comparingInt(ResponsePair::exampleIdx));
        for (ResponsePair p : ordered) {
            double[][] s = raw.get(p.exampleIdx());
            boolean full = s != null;
            for (int d = 0; full && d < dims.size(); d++) {
                full = s[d] != null;
            }
            if (full) {
                complete.add(p);
            } else {
                missing++;
            }
        }
        double[] var = new double[dims.size()];
        Map<String, Double> variances = new LinkedHashMap<>();
        for (int d = 0; d < dims.size(); d++) {
            double sum = 0;
            int n = 0;
            for (ResponsePair p : complete) {
                for (double v : raw.get(p.exampleIdx())[d]) {
                    sum += v;
                    n++;
                }
            }
            double mean = n == 0 ? 0 : sum / n;
            double sq = 0;
            for (ResponsePair p : complete) {
                for (double v : raw.get(p.exampleIdx())[d]) {
                    sq += (v - mean) * (v - mean);
                }
            }
            var[d] = n == 0 ? 0 : sq / n;
            variances.put(dims.get(d).name(), var[d]);
        }

        Random rng = new Random(config.seed());
        int cap = Math.min(config.maxPrinciples(), dims.size());
        List<PreferenceExample> out = new ArrayList<>();
        int zero = 0;
        int bothMismatch = 0;
        for (int pass = 0; pass < config.passes(); pass++) {
            for (ResponsePair p : complete) {
                double[][] s = raw.get(p.exampleIdx());
                int[] order = new int[dims.size()];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                for (int i = order.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                int k;
                do {
                    k = geometric(rng, config.geometricP());
                } while (k > cap);
                List<PreferenceExample.Choice> choices = new ArrayList<>(k);
                int dominant = -1;
                double best = -1;
                for (int c = 0; c < k; c++) {
                    int d = order[c];
                    boolean negated = rng.nextDouble() < config.negationP();
                    double score = score(s[d], var[d], config.rule());
                    if (negated) {
                        score = -score;
                    }
                    Principle pr = dims.get(d);
                    choices.add(new PreferenceExample.Choice(pr.name(), negated,
                            negated ? pr.negativeDefinition() : pr.definition(), score));
                    if (Math.abs(score) > best) { // first maximum wins, like argmax
                        best = Math.abs(score);
                        dominant = c;
                    }
                }
                double domScore = choices.get(dominant).score();
                if (domScore == 0) {
                    zero++;
                    continue;
                }
                int preference = domScore > 0 ? 1 : 2;
                boolean ruleFlag = false;
                for (String phrase : config.avoidPhrases()) {
                    boolean in1 = p.output1().contains(phrase);
                    boolean in2 = p.output2().contains(phrase);
                    if (in1 != in2 && rng.nextDouble() < 0.5) {
                        preference = in1 ? 2 : 1;
                        ruleFlag = true;
                    }
                }
                if (config.languageRule()) {
                    Character.UnicodeScript want = Scripts.dominant(p.prompt().userTurn());
                    boolean bad1 = Scripts.mismatch(want, p.output1());
                    boolean bad2 = Scripts.mismatch(want, p.output2());
                    if (bad1 && bad2) {
                        bothMismatch++;
                        continue;
                    }
                    if (bad1 || bad2) {
                        preference = bad1 ? 2 : 1;
                        ruleFlag = true;
                    }
                }
                boolean flipped = rng.nextDouble() < (ruleFlag ? config.ruleLabelNoise() : config.labelNoise());
                if (flipped) {
                    preference = 3 - preference;
                }
                boolean swapped = rng.nextDouble() < config.orderSwapP();
                String o1 = p.output1();
                String o2 = p.output2();
                if (swapped) {
                    o1 = p.output2();
                    o2 = p.output1();
                    preference = 3 - preference;
                }
                out.add(new PreferenceExample(p.exampleIdx(), pass, p.prompt(), o1, o2, preference, choices, dominant,
                        flipped, swapped, ruleFlag));
            }
        }
        return new Result(out, pairs.size(), missing, zero, bothMismatch, variances);
    }

    /** A principle's combined score: mean of the two orders over the dimension's variance (0 if the variance is 0). */
    static double score(double[] s, double var, AggregationConfig.JudgingRule rule) {
        if (var == 0) {
            return 0;
        }
        boolean agree = (s[0] > 0 && s[1] > 0) || (s[0] < 0 && s[1] < 0);
        if (rule == AggregationConfig.JudgingRule.SIGN_AGREEMENT && !agree) {
            return 0;
        }
        return (s[0] + s[1]) / 2 / var;
    }

    /** A draw from Geometric(p) on {1, 2, ...} (numpy's convention) by inversion. */
    static int geometric(Random rng, double p) {
        if (p >= 1) {
            return 1;
        }
        double u = 1.0 - rng.nextDouble(); // (0, 1]
        double k = StrictMath.floor(StrictMath.log(u) / StrictMath.log1p(-p)) + 1;
        return k > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) k;
    }
}
