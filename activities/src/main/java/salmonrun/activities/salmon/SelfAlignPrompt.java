package salmonrun.activities.salmon;

import java.util.List;
import java.util.function.ToIntFunction;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.Principle;

/**
 * Prompt format 2 (docs/prompt-formats.md): the self-alignment prompt, numbered rules and worked
 * exemplars in context, ending with the instruction and {@code ### {assistant} (internal thoughts)}.
 * The rules and exemplars part (the "meta prompt") is fixed for a phase, as in the reference, and
 * {@link #fit} chooses which rules and exemplars fit a model's context.
 */
public final class SelfAlignPrompt {
    /** Every exemplar's internal thoughts start with this; the filter keeps only outputs that do. */
    public static final String THOUGHTS_PREFIX = salmonrun.activities.principles.Exemplar.THOUGHTS_PREFIX;

    private final String assistant;
    private final List<Principle> rules;
    private final List<Exemplar> exemplars;
    private final String meta;

    public SelfAlignPrompt(String assistant, List<Principle> rules, List<Exemplar> exemplars) {
        this.assistant = assistant;
        this.rules = List.copyOf(rules);
        this.exemplars = List.copyOf(exemplars);
        this.meta = renderMeta();
    }

    /**
     * The layout that fits {@code budgetTokens} for the meta prompt, chosen like the sandbox eval's
     * {@code SelfAlignContext}: as many exemplars as fit (at most {@code maxExemplars}, in set order), the
     * rules they cite, then the other rules in set order while they fit (at most {@code maxRules} in all);
     * rules are renumbered 1..k in set order and the exemplars' "N (Name)" citations rewritten to match
     * (citations of rules left out are removed), so the exemplars never cite a rule the prompt does not show.
     */
    public static SelfAlignPrompt fit(String assistant, List<Principle> rules, List<Exemplar> exemplars,
            int maxRules, int maxExemplars, int budgetTokens, ToIntFunction<String> tokenCount) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("no self_align rules to put in context");
        }
        for (int n = Math.min(maxExemplars, exemplars.size()); n >= 0; n--) {
            List<Exemplar> chosen = exemplars.subList(0, n);
            java.util.TreeSet<Integer> keep = new java.util.TreeSet<>();
            for (Exemplar e : chosen) {
                java.util.regex.Matcher m = CITATION.matcher(e.internalThoughts());
                while (m.find()) {
                    int idx = Integer.parseInt(m.group(1)) - 1;
                    if (idx >= 0 && idx < rules.size()) {
                        keep.add(idx);
                    }
                }
            }
            SelfAlignPrompt best = build(assistant, rules, keep, chosen);
            if (tokenCount.applyAsInt(best.meta) > budgetTokens) {
                continue;
            }
            for (int i = 0; i < rules.size() && keep.size() < maxRules; i++) {
                if (keep.add(i)) {
                    SelfAlignPrompt bigger = build(assistant, rules, keep, chosen);
                    if (tokenCount.applyAsInt(bigger.meta) > budgetTokens) {
                        keep.remove(i);
                    } else {
                        best = bigger;
                    }
                }
            }
            if (!best.rules.isEmpty()) {
                return best;
            }
        }
        throw new IllegalArgumentException("not even one self_align rule fits a meta-prompt budget of " + budgetTokens
                + " tokens");
    }

    private static final java.util.regex.Pattern CITATION = java.util.regex.Pattern.compile("(\\d+) \\(([^)]+)\\)");

    private static SelfAlignPrompt build(String assistant, List<Principle> rules, java.util.SortedSet<Integer> keep,
            List<Exemplar> chosen) {
        java.util.Map<Integer, Integer> renumber = new java.util.HashMap<>();
        java.util.List<Principle> shown = new java.util.ArrayList<>();
        for (int idx : keep) {
            renumber.put(idx + 1, shown.size() + 1);
            shown.add(rules.get(idx));
        }
        java.util.List<Exemplar> rewritten = new java.util.ArrayList<>();
        for (Exemplar e : chosen) {
            rewritten.add(new Exemplar(e.instruction(), rewriteCitations(e.internalThoughts(), renumber), e.response()));
        }
        return new SelfAlignPrompt(assistant, shown, rewritten);
    }

    /** Rewrites "N (Name)" citations to new rule numbers, dropping citations of rules not shown. */
    static String rewriteCitations(String thoughts, java.util.Map<Integer, Integer> renumber) {
        String t = thoughts.replaceAll("\\s+", " ").strip();
        java.util.regex.Matcher m = CITATION.matcher(t);
        java.util.List<String> kept = new java.util.ArrayList<>();
        int first = -1;
        int last = -1;
        while (m.find()) {
            if (first < 0) {
                first = m.start();
            }
            last = m.end();
            Integer to = renumber.get(Integer.parseInt(m.group(1)));
            if (to != null) {
                kept.add(to + " (" + m.group(2) + ")");
            }
        }
        if (first < 0) {
            return t;
        }
        String head = t.substring(0, first).replaceAll("rules? $", kept.size() == 1 ? "rule " : "rules ");
        return head + String.join(", ", kept) + t.substring(last);
    }

    public List<Principle> rules() {
        return rules;
    }

    public List<Exemplar> exemplars() {
        return exemplars;
    }

    public String assistant() {
        return assistant;
    }

    /** The fixed part: header, numbered rules, exemplars, ready for a {@code ### User} turn. */
    public String meta() {
        return meta;
    }

    /** The full generation input for one user turn. */
    public String render(String userTurn) {
        return meta + "### User\n" + userTurn + "\n\n" + thoughtsMarker();
    }

    /** {@code ### {assistant} (internal thoughts)}: where the base model starts writing. */
    public String thoughtsMarker() {
        return "### " + assistant + " (internal thoughts)";
    }

    /** {@code \n\n### {assistant}\n}: separates the thoughts from the answer in a generated output. */
    public String answerMarker() {
        return "\n\n### " + assistant + "\n";
    }

    private String renderMeta() {
        // byte-identical to the sandbox's SandboxFormats.selfAlignPrompt: both headers always present
        StringBuilder b = new StringBuilder("# ").append(assistant).append("\n\n## General Rules\n\n");
        for (int i = 0; i < rules.size(); i++) {
            Principle p = rules.get(i);
            b.append(i + 1).append(" (").append(p.name()).append("). ").append(p.definition().strip()).append('\n');
        }
        b.append("\n## Examples\n\n");
        for (Exemplar x : exemplars) {
            String thoughts = x.internalThoughts().strip();
            if (!thoughts.startsWith(THOUGHTS_PREFIX)) {
                thoughts = THOUGHTS_PREFIX + " " + thoughts;
            }
            b.append("### User\n").append(x.instruction().strip()).append("\n\n")
                    .append(thoughtsMarker()).append('\n').append(thoughts).append("\n\n")
                    .append("### ").append(assistant).append('\n').append(x.response().strip()).append("\n\n");
        }
        return b.toString();
    }
}
