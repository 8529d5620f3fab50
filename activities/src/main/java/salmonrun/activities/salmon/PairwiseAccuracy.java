package salmonrun.activities.salmon;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Tallies held-out pairwise accuracy overall and per deciding principle (negated ones under "not NAME"). */
public final class PairwiseAccuracy {
    private final Map<String, int[]> byPrinciple = new TreeMap<>();
    private int correct;
    private int total;

    /** Records one pair: correct when the higher reward went to the preferred output (a tie counts as wrong). */
    public void add(RmPair pair, double reward1, double reward2) {
        boolean right = pair.preferred() == 2 ? reward2 > reward1 : reward1 > reward2;
        int[] c = byPrinciple.computeIfAbsent(pair.dominantLabel(), k -> new int[2]);
        c[1]++;
        total++;
        if (right) {
            c[0]++;
            correct++;
        }
    }

    public int total() {
        return total;
    }

    /** Overall accuracy (NaN when empty). */
    public double accuracy() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Per-principle accuracy and count: {name: {accuracy, pairs}}. */
    public Map<String, Map<String, Double>> perPrinciple() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        byPrinciple.forEach((k, c) -> out.put(k, Map.of("accuracy", (double) c[0] / c[1], "pairs", (double) c[1])));
        return out;
    }
}
