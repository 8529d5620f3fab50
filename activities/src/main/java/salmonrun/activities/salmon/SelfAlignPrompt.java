package salmonrun.activities.salmon;

import java.util.List;
import java.util.function.ToIntFunction;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.Principle;

/**
 * Prompt format 2 (docs/prompt-formats.md): the self-alignment prompt, numbered rules and worked
 * exemplars in context, ending with the instruction and {@code ### {assistant} (internal thoughts)}.
 * The rules and exemplars part (the "meta prompt") is fixed for a phase, as in the reference, and
 * {@link #fit} chooses how many rules and exemplars fit a model's context.
 */
public final class SelfAlignPrompt {
    /** Every exemplar's internal thoughts start with this; the filter keeps only outputs that do. */
    public static final String THOUGHTS_PREFIX = "I am a careful, honest and helpful assistant.";

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
     * The largest layout whose meta prompt is at most {@code budgetTokens} tokens: first as many rules
     * as fit (in order, up to {@code maxRules}), then as many exemplars as fit (up to {@code maxExemplars}).
     * Rules come first because they are what the exemplars cite.
     */
    public static SelfAlignPrompt fit(String assistant, List<Principle> rules, List<Exemplar> exemplars,
            int maxRules, int maxExemplars, int budgetTokens, ToIntFunction<String> tokenCount) {
        int r = Math.min(maxRules, rules.size());
        while (r > 0 && tokenCount.applyAsInt(new SelfAlignPrompt(assistant, rules.subList(0, r), List.of()).meta)
                > budgetTokens) {
            r--;
        }
        int e = 0;
        int cap = Math.min(maxExemplars, exemplars.size());
        while (e < cap && tokenCount.applyAsInt(
                new SelfAlignPrompt(assistant, rules.subList(0, r), exemplars.subList(0, e + 1)).meta) <= budgetTokens) {
            e++;
        }
        return new SelfAlignPrompt(assistant, rules.subList(0, r), exemplars.subList(0, e));
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
        StringBuilder b = new StringBuilder("# ").append(assistant).append("\n\n");
        if (!rules.isEmpty()) {
            b.append("## General Rules\n\n");
            for (int i = 0; i < rules.size(); i++) {
                Principle p = rules.get(i);
                b.append(i + 1).append(" (").append(p.name()).append("). ").append(p.definition().strip()).append('\n');
            }
            b.append('\n');
        }
        if (!exemplars.isEmpty()) {
            b.append("## Examples\n\n");
            for (Exemplar x : exemplars) {
                String thoughts = x.internalThoughts().strip();
                if (!thoughts.startsWith(THOUGHTS_PREFIX)) {
                    thoughts = THOUGHTS_PREFIX + " " + thoughts;
                }
                b.append("### User\n").append(x.instruction().strip()).append("\n\n")
                        .append(thoughtsMarker()).append('\n').append(thoughts).append("\n\n")
                        .append("### ").append(assistant).append('\n').append(x.response().strip()).append("\n\n");
            }
        }
        return b.toString();
    }
}
