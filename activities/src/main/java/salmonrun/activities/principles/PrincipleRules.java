package salmonrun.activities.principles;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules every principle set obeys, whether read from a file or built in code: non-empty
 * name and definitions, finite non-negative weights, a role, a negative definition for every
 * labelling principle, and names unique within a role.
 */
public final class PrincipleRules {
    private PrincipleRules() {}

    /** One broken rule: the principle's index in the list, the field, what is wrong. */
    public record Violation(int index, String field, String message) {}

    /** Every violation in {@code principles}, in list order; empty when the set is valid. */
    public static List<Violation> check(String setName, List<Principle> principles) {
        List<Violation> out = new ArrayList<>();
        if (setName == null || setName.isBlank()) {
            out.add(new Violation(-1, "name", "the set needs a name"));
        }
        if (principles.isEmpty()) {
            out.add(new Violation(-1, "principles", "a principle set needs at least one principle"));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < principles.size(); i++) {
            Principle p = principles.get(i);
            if (blank(p.name())) {
                out.add(new Violation(i, "name", "must not be empty"));
            }
            if (blank(p.definition())) {
                out.add(new Violation(i, "definition", "must not be empty"));
            }
            if (p.negativeDefinition() != null && p.negativeDefinition().isBlank()) {
                out.add(new Violation(i, "negative_definition", "must not be empty (leave the key out instead)"));
            }
            // Prompts show each principle as one numbered or bulleted line (prompt-formats.md).
            multiLine(out, i, "name", p.name());
            multiLine(out, i, "definition", p.definition());
            multiLine(out, i, "negative_definition", p.negativeDefinition());
            if (!Double.isFinite(p.weight()) || p.weight() < 0) {
                out.add(new Violation(i, "weight", "must be a finite number >= 0, found " + p.weight()));
            }
            if (p.role() == null) {
                out.add(new Violation(i, "role", "missing (required)"));
            } else if (p.role() == Role.LABELLING && blank(p.negativeDefinition())) {
                out.add(new Violation(i, "negative_definition",
                        "a labelling principle needs a negative definition (the judge and reward model use it)"));
            }
            if (!blank(p.name()) && p.role() != null) {
                String key = p.role().dbName() + "\u0000" + p.name();
                Integer first = seen.putIfAbsent(key, i);
                if (first != null) {
                    out.add(new Violation(i, "name", "duplicate principle name '" + p.name() + "' in role "
                            + p.role().dbName() + " (also principle " + (first + 1) + ")"));
                }
            }
        }
        return out;
    }

    /** Throws a {@link PrincipleSetFormatException} naming {@code source} when the set breaks a rule. */
    public static void requireValid(String source, String setName, List<Principle> principles) {
        List<Violation> v = check(setName, principles);
        if (!v.isEmpty()) {
            throw new PrincipleSetFormatException(source, v.stream()
                    .map(x -> new FormatProblem(0, 0, x.index() < 0 ? x.field()
                            : "principles[" + (x.index() + 1) + "]." + x.field(), x.message()))
                    .toList());
        }
    }

    private static void multiLine(List<Violation> out, int i, String field, String value) {
        if (value != null && value.strip().contains("\n")) {
            out.add(new Violation(i, field, "must be a single line (prompts show one principle per line)"));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
