package salmonrun.activities.salmon;

import java.util.List;

/**
 * Settings of the preference aggregation (salmon-method.md P8). Defaults are the reference's: 4 passes,
 * Geometric(0.2) subset sizes capped at 8, negation with probability 0.5, label noise 0.1 (0.25 when a
 * rule fired), order swap 0.5, the "As an AI language model" and language-mismatch rules, the
 * sign-agreement judging rule, seed 42.
 *
 * @param dimensions labelling principles to use by name, in this order; empty means all of the set's
 *                   labelling principles
 */
public record AggregationConfig(List<String> dimensions, int passes, double geometricP, int maxPrinciples,
        double negationP, double labelNoise, double ruleLabelNoise, double orderSwapP, List<String> avoidPhrases,
        boolean languageRule, JudgingRule rule, long seed) {

    /** How the two order scores of a principle become one. */
    public enum JudgingRule {
        /** Reference: mean(s12, s21) when both have the same sign, else 0 (drops pairs whose position bias dominates). */
        SIGN_AGREEMENT,
        /** Bias-cancelling: always mean(s12, s21), which removes a position bias b exactly (DESIGN.md "On judging"). */
        MEAN
    }

    public AggregationConfig {
        dimensions = List.copyOf(dimensions);
        avoidPhrases = List.copyOf(avoidPhrases);
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be at least 1, got " + passes);
        }
        if (!(geometricP > 0 && geometricP <= 1)) {
            throw new IllegalArgumentException("geometricP must be in (0, 1], got " + geometricP);
        }
        if (maxPrinciples < 1) {
            throw new IllegalArgumentException("maxPrinciples must be at least 1, got " + maxPrinciples);
        }
        for (double p : new double[] {negationP, labelNoise, ruleLabelNoise, orderSwapP}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must be in [0, 1], got " + p);
            }
        }
    }

    /** The reference's settings. */
    public static AggregationConfig reference() {
        return new AggregationConfig(List.of(), 4, 0.2, 8, 0.5, 0.1, 0.25, 0.5, List.of("As an AI language model"),
                true, JudgingRule.SIGN_AGREEMENT, 42L);
    }

    public AggregationConfig withRule(JudgingRule r) {
        return new AggregationConfig(dimensions, passes, geometricP, maxPrinciples, negationP, labelNoise,
                ruleLabelNoise, orderSwapP, avoidPhrases, languageRule, r, seed);
    }

    public AggregationConfig withSeed(long s) {
        return new AggregationConfig(dimensions, passes, geometricP, maxPrinciples, negationP, labelNoise,
                ruleLabelNoise, orderSwapP, avoidPhrases, languageRule, rule, s);
    }

    /** No label noise, no order swap, no rules: labels are exactly the dominant principle's verdict (for measuring). */
    public AggregationConfig withoutNoise() {
        return new AggregationConfig(dimensions, passes, geometricP, maxPrinciples, negationP, 0, 0, 0, List.of(),
                false, rule, seed);
    }
}
