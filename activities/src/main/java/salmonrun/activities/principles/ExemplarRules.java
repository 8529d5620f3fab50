package salmonrun.activities.principles;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules every exemplar set obeys: a name, at least one exemplar, no empty field, internal
 * thoughts that start with {@link Exemplar#THOUGHTS_PREFIX}, and no line that would read as a
 * prompt section or turn marker ({@code ## ...}, {@code ### ...}) inside an exemplar.
 */
public final class ExemplarRules {
    private ExemplarRules() {}

    /** One broken rule: the exemplar's index in the list, the field, what is wrong. */
    public record Violation(int index, String field, String message) {}

    /** Every violation, in list order; empty when the set is valid. */
    public static List<Violation> check(String setName, List<Exemplar> exemplars) {
        List<Violation> out = new ArrayList<>();
        if (setName == null || setName.isBlank()) {
            out.add(new Violation(-1, "name", "the set needs a name"));
        }
        if (exemplars.isEmpty()) {
            out.add(new Violation(-1, "exemplars", "an exemplar set needs at least one exemplar"));
        }
        for (int i = 0; i < exemplars.size(); i++) {
            Exemplar e = exemplars.get(i);
            field(out, i, "instruction", e.instruction());
            field(out, i, "internal_thoughts", e.internalThoughts());
            field(out, i, "response", e.response());
            if (e.internalThoughts() != null && !e.internalThoughts().isBlank()
                    && !e.internalThoughts().strip().startsWith(Exemplar.THOUGHTS_PREFIX)) {
                out.add(new Violation(i, "internal_thoughts",
                        "must start with \"" + Exemplar.THOUGHTS_PREFIX + "\" (the self-align filter keys on it)"));
            }
        }
        return out;
    }

    /** Throws a {@link PrincipleSetFormatException} naming {@code source} when the set breaks a rule. */
    public static void requireValid(String source, String setName, List<Exemplar> exemplars) {
        List<Violation> v = check(setName, exemplars);
        if (!v.isEmpty()) {
            throw new PrincipleSetFormatException(source, v.stream()
                    .map(x -> new FormatProblem(0, 0, x.index() < 0 ? x.field()
                            : "exemplars[" + (x.index() + 1) + "]." + x.field(), x.message()))
                    .toList());
        }
    }

    private static void field(List<Violation> out, int i, String field, String value) {
        if (value == null || value.isBlank()) {
            out.add(new Violation(i, field, "must not be empty"));
            return;
        }
        for (String line : value.split("\n", -1)) {
            if (line.startsWith("## ") || line.startsWith("### ")) {
                out.add(new Violation(i, field, "a line may not start with '## ' or '### ': it would read as a"
                        + " prompt section or turn marker (found \"" + line + "\")"));
                return;
            }
        }
    }
}
