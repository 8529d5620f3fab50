package salmonrun.activities.salmon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import salmonrun.activities.principles.Principle;

/**
 * How one labelling principle behaved as a judge, stored with the preference dataset.
 *
 * @param judged            pairs judged under this principle
 * @param output1Rate       share where both orders preferred output 1
 * @param output2Rate       share where both orders preferred output 2
 * @param tieRate           share where an order gave no preference (|score| below 1e-9)
 * @param abstainRate       share where the two orders disagreed (the sign rule abstains)
 * @param orderSwapAgreement decisive / (decisive + abstain): 1 means no position bias flips a verdict
 * @param meanPositionBias  mean (s12 - s21) / 2, the judge's pull toward the first-shown output, in logits
 * @param margins           quantiles (p0, p10, p25, p50, p75, p90, p100) of |mean(s12, s21)| over decisive pairs
 * @param datasetLabels     examples of the dataset whose dominant principle this is
 * @param graderPairs       decisive pairs where the grader could establish a verdict (-1 without a grader)
 * @param graderAgreement   share of those where the judge agreed with the grader (NaN when none)
 * @param meanRuleGraderPairs pairs with a grader verdict and a nonzero mean score (bias-cancelling rule)
 * @param meanRuleGraderAgreement agreement of sign(mean) with the grader on those
 * @param flags             NEVER_DECIDES, SELF_DISAGREES, DISAGREES_WITH_GRADER
 */
public record PrincipleStatistics(String principle, int judged, double output1Rate, double output2Rate,
        double tieRate, double abstainRate, double orderSwapAgreement, double meanPositionBias, List<Double> margins,
        int datasetLabels, int graderPairs, double graderAgreement, int meanRuleGraderPairs,
        double meanRuleGraderAgreement, List<String> flags) {

    public PrincipleStatistics {
        margins = List.copyOf(margins);
        flags = List.copyOf(flags);
    }

    /** Below this share of decisive pairs a principle is flagged as never deciding. */
    public static final double MIN_DECISIVE_RATE = 0.05;
    private static final double TIE = 1e-9;

    /** Statistics for every dimension, in dimension order; {@code grader} may be null. */
    public static Map<String, PrincipleStatistics> compute(List<ResponsePair> pairs, List<Judgement> judgements,
            List<Principle> dims, List<PreferenceExample> examples, GraderVerdict grader) {
        Map<Integer, ResponsePair> byIdx = new HashMap<>();
        pairs.forEach(p -> byIdx.put(p.exampleIdx(), p));
        Map<String, Integer> labels = new HashMap<>();
        examples.forEach(e -> labels.merge(e.dominantDimension(), 1, Integer::sum));
        Map<String, PrincipleStatistics> out = new LinkedHashMap<>();
        for (Principle dim : dims) {
            int n = 0;
            int one = 0;
            int two = 0;
            int tie = 0;
            int abstain = 0;
            double bias = 0;
            List<Double> margins = new ArrayList<>();
            int gPairs = 0;
            int gAgree = 0;
            int mPairs = 0;
            int mAgree = 0;
            for (Judgement j : sorted(judgements, dim.name())) {
                ResponsePair pair = byIdx.get(j.exampleIdx());
                if (pair == null) {
                    continue;
                }
                n++;
                bias += (j.s12() - j.s21()) / 2;
                int verdict = 0;
                if (Math.abs(j.s12()) < TIE || Math.abs(j.s21()) < TIE) {
                    tie++;
                } else if (j.consistentPreference() == 0) {
                    abstain++;
                } else {
                    verdict = j.consistentPreference();
                    if (verdict == 1) {
                        one++;
                    } else {
                        two++;
                    }
                    margins.add(Math.abs(j.s12() + j.s21()) / 2);
                }
                if (grader != null) {
                    int truth = grader.preferred(pair, dim);
                    if (truth != 0) {
                        if (verdict != 0) {
                            gPairs++;
                            gAgree += verdict == truth ? 1 : 0;
                        }
                        double mean = (j.s12() + j.s21()) / 2;
                        if (Math.abs(mean) >= TIE) {
                            mPairs++;
                            mAgree += (mean > 0 ? 1 : 2) == truth ? 1 : 0;
                        }
                    }
                }
            }
            int decisive = one + two;
            double swapAgreement = decisive + abstain == 0 ? Double.NaN : (double) decisive / (decisive + abstain);
            double gRate = gPairs == 0 ? Double.NaN : (double) gAgree / gPairs;
            List<String> flags = new ArrayList<>();
            if (n > 0 && (double) decisive / n < MIN_DECISIVE_RATE) {
                flags.add("NEVER_DECIDES");
            }
            if (!Double.isNaN(swapAgreement) && swapAgreement < 0.5) {
                flags.add("SELF_DISAGREES");
            }
            if (!Double.isNaN(gRate) && gRate < 0.5) {
                flags.add("DISAGREES_WITH_GRADER");
            }
            out.put(dim.name(), new PrincipleStatistics(dim.name(), n, rate(one, n), rate(two, n), rate(tie, n),
                    rate(abstain, n), swapAgreement, n == 0 ? 0 : bias / n, quantiles(margins),
                    labels.getOrDefault(dim.name(), 0), grader == null ? -1 : gPairs, gRate,
                    grader == null ? -1 : mPairs, mPairs == 0 ? Double.NaN : (double) mAgree / mPairs, flags));
        }
        return out;
    }

    private static List<Judgement> sorted(List<Judgement> all, String dim) {
        return all.stream().filter(j -> j.dimension().equals(dim))
                .sorted(java.util.Comparator.comparingInt(Judgement::exampleIdx)).toList();
    }

    private static double rate(int k, int n) {
        return n == 0 ? 0 : (double) k / n;
    }

    /** Nearest-rank quantiles p0, p10, p25, p50, p75, p90, p100; empty when there are no values. */
    static List<Double> quantiles(List<Double> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        List<Double> out = new ArrayList<>();
        for (double q : new double[] {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1}) {
            int i = (int) Math.ceil(q * v.length) - 1;
            out.add(v[Math.max(0, Math.min(v.length - 1, i))]);
        }
        return out;
    }
}
