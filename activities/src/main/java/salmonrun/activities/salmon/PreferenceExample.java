package salmonrun.activities.salmon;

import java.util.List;

/**
 * One reward-model training example made by aggregation: a pair, the sampled principle subset (each
 * possibly negated, shown to the reward model by {@code definition}, which is the negative definition
 * when negated), and the label {@code preference} (1: output1 better, 2: output2 better) after rules,
 * noise and order swap.
 *
 * @param dominantIndex index into {@code dimensions} of the principle with the largest |score|
 * @param flipped       label noise flipped the label
 * @param swapped       output order (and label) were swapped
 * @param ruleFlag      a symbolic rule set the label
 */
public record PreferenceExample(int exampleIdx, int pass, Prompt prompt, String output1, String output2,
        int preference, List<Choice> dimensions, int dominantIndex, boolean flipped, boolean swapped,
        boolean ruleFlag) {

    public PreferenceExample {
        dimensions = List.copyOf(dimensions);
    }

    /** A sampled principle: its name, whether negated, the text shown, and its normalised score after negation. */
    public record Choice(String name, boolean negated, String definition, double score) {}

    /** The dominant principle's name. */
    public String dominantDimension() {
        return dimensions.get(dominantIndex).name();
    }
}
