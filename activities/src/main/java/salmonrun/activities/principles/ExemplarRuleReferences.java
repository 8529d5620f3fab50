package salmonrun.activities.principles;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that the rules exemplars cite in their internal thoughts ("rules 12 (Dated), 3 (Helpful)")
 * exist with that number and name among a principle set's self-align rules. An exemplar set
 * written for one principle set can silently teach wrong rule numbers under another; this finds it.
 */
public final class ExemplarRuleReferences {
    // "12 (Dated)": a rule number and the rule name in parentheses.
    private static final Pattern REFERENCE = Pattern.compile("(\\d+) \\(([^()]+)\\)");

    private ExemplarRuleReferences() {}

    /** A rule citation: which exemplar (0-based), the number and the name as written. */
    public record Reference(int exemplar, int number, String name) {}

    /** Every rule citation in the exemplars' internal thoughts, in order. */
    public static List<Reference> references(ExemplarSet exemplars) {
        List<Reference> out = new ArrayList<>();
        for (int i = 0; i < exemplars.exemplars().size(); i++) {
            Matcher m = REFERENCE.matcher(exemplars.exemplars().get(i).internalThoughts());
            while (m.find()) {
                out.add(new Reference(i, Integer.parseInt(m.group(1)), m.group(2).strip()));
            }
        }
        return out;
    }

    /**
     * The rule numbers the given exemplars cite, ascending. A phase that shows only some rules to a
     * small-context model must keep at least these, under the same numbers, or the exemplars lie.
     */
    public static SortedSet<Integer> citedRules(ExemplarSet exemplars) {
        SortedSet<Integer> out = new TreeSet<>();
        for (Reference r : references(exemplars)) {
            out.add(r.number());
        }
        return out;
    }

    /** One message per citation that does not match rule {@code number} of the set's self-align rules. */
    public static List<String> mismatches(ExemplarSet exemplars, PrincipleSet principles) {
        List<Principle> rules = principles.withRole(Role.SELF_ALIGN);
        List<String> out = new ArrayList<>();
        for (Reference r : references(exemplars)) {
            String where = "exemplar " + (r.exemplar() + 1) + " cites rule " + r.number() + " (" + r.name() + ")";
            if (r.number() < 1 || r.number() > rules.size()) {
                out.add(where + " but " + principles.name() + " has " + rules.size() + " self-align rules");
            } else if (!rules.get(r.number() - 1).name().equals(r.name())) {
                out.add(where + " but rule " + r.number() + " of " + principles.name() + " is "
                        + rules.get(r.number() - 1).name());
            }
        }
        return out;
    }
}
