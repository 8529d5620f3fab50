package salmonrun.activities.salmon;

import java.util.List;

/**
 * One reward-model training pair (reference P8 shape): instruction, two outputs, which is preferred, and the
 * principles shown to the reward model in order, each possibly negated; {@code dominant} is the index of the
 * principle that decided the label; {@code definitions}, when given, are the criterion texts the dataset recorded
 * (the negative definition for a negated principle), else they are looked up by name.
 */
public record RmPair(String instruction, String output1, String output2, int preferred,
                     List<String> principles, List<Boolean> negated, int dominant, List<String> definitions) {

    /** A pair whose criterion texts are looked up by principle name when used. */
    public RmPair(String instruction, String output1, String output2, int preferred,
                  List<String> principles, List<Boolean> negated, int dominant) {
        this(instruction, output1, output2, preferred, principles, negated, dominant, List.of());
    }

    public RmPair {
        principles = List.copyOf(principles);
        negated = List.copyOf(negated);
        definitions = definitions == null ? List.of() : List.copyOf(definitions);
        if (!definitions.isEmpty() && definitions.size() != principles.size()) {
            throw new IllegalArgumentException("need one shown definition per principle, got " + definitions.size()
                    + " for " + principles.size());
        }
        if (preferred != 1 && preferred != 2) {
            throw new IllegalArgumentException("preference must be 1 or 2, got " + preferred);
        }
        if (principles.isEmpty() || principles.size() != negated.size()) {
            throw new IllegalArgumentException("need one negation flag per principle and at least one principle");
        }
        if (dominant < 0 || dominant >= principles.size()) {
            throw new IllegalArgumentException("dominant principle index " + dominant + " is outside 0.."
                    + (principles.size() - 1));
        }
    }

    /** The deciding principle's name, prefixed with "not " when it was negated. */
    public String dominantLabel() {
        return (negated.get(dominant) ? "not " : "") + principles.get(dominant);
    }

    /** The deciding principle's name. */
    public String dominantPrinciple() {
        return principles.get(dominant);
    }
}
