package salmonrun.activities.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;
import salmonrun.activities.salmon.SelfAlignPrompt;

/**
 * The rules and exemplars that fit a small context. Keeps the rules the chosen exemplars cite, adds the others in
 * set order while the prompt stays under budget, renumbers them 1..k in set order and rewrites the exemplars'
 * "N (Name)" citations to the new numbers (citations of dropped rules are removed). Unlike
 * {@link SelfAlignPrompt#fit} (a prefix of the rules, then exemplars), this keeps every rule an exemplar cites, which
 * matters when a 17-rule set meets a 512-token context.
 */
public record SelfAlignContext(List<SandboxFormats.RuleLine> rules, List<SandboxFormats.Example> examples) {

    private static final Pattern CITATION = Pattern.compile("(\\d+) \\(([^)]+)\\)");

    /** Renders the format-2 prompt for an instruction with the phases' renderer ({@link SelfAlignPrompt}). */
    public String prompt(String instruction) {
        List<Principle> ps = new ArrayList<>();
        rules.forEach(r -> ps.add(new Principle(r.name(), r.definition(), null, 1, Role.SELF_ALIGN)));
        List<Exemplar> xs = new ArrayList<>();
        examples.forEach(e -> xs.add(new Exemplar(e.instruction(), e.thoughts(), e.response())));
        return new SelfAlignPrompt(SandboxFormats.ASSISTANT, ps, xs).render(instruction);
    }

    /**
     * Chooses rules and at most {@code maxExamples} exemplars (in set order) so that a prompt for an instruction of
     * {@code reserveInstruction} tokens stays within {@code budget} tokens.
     */
    public static SelfAlignContext fit(List<Principle> selfAlignRules, List<Exemplar> exemplars, int maxExamples,
                                       ToIntFunction<String> tokens, int budget, int reserveInstruction) {
        if (selfAlignRules.isEmpty()) {
            throw new IllegalArgumentException("the principle set has no self_align rules");
        }
        for (int n = Math.min(maxExamples, exemplars.size()); n >= 0; n--) {
            List<Exemplar> chosen = exemplars.subList(0, n);
            TreeMap<Integer, Principle> keep = new TreeMap<>();
            for (Exemplar e : chosen) {
                Matcher m = CITATION.matcher(e.internalThoughts());
                while (m.find()) {
                    int idx = Integer.parseInt(m.group(1)) - 1;
                    if (idx >= 0 && idx < selfAlignRules.size()) {
                        keep.put(idx, selfAlignRules.get(idx));
                    }
                }
            }
            SelfAlignContext ctx = build(keep, chosen);
            if (size(ctx, tokens, reserveInstruction) > budget) {
                continue;
            }
            for (int i = 0; i < selfAlignRules.size(); i++) {
                if (keep.containsKey(i)) {
                    continue;
                }
                keep.put(i, selfAlignRules.get(i));
                SelfAlignContext bigger = build(keep, chosen);
                if (size(bigger, tokens, reserveInstruction) > budget) {
                    keep.remove(i);
                } else {
                    ctx = bigger;
                }
            }
            if (!ctx.rules().isEmpty()) {
                return ctx;
            }
        }
        throw new IllegalArgumentException("not even one rule fits a budget of " + budget + " tokens");
    }

    private static int size(SelfAlignContext ctx, ToIntFunction<String> tokens, int reserveInstruction) {
        return tokens.applyAsInt(ctx.prompt("")) + reserveInstruction;
    }

    private static SelfAlignContext build(TreeMap<Integer, Principle> keep, List<Exemplar> chosen) {
        Map<Integer, Integer> renumber = new TreeMap<>();
        List<SandboxFormats.RuleLine> lines = new ArrayList<>();
        for (var e : keep.entrySet()) {
            renumber.put(e.getKey() + 1, lines.size() + 1);
            lines.add(new SandboxFormats.RuleLine(e.getValue().name(), e.getValue().definition()));
        }
        List<SandboxFormats.Example> examples = new ArrayList<>();
        for (Exemplar e : chosen) {
            examples.add(new SandboxFormats.Example(e.instruction().trim(), rewrite(e.internalThoughts(), renumber), e.response().trim()));
        }
        return new SelfAlignContext(lines, examples);
    }

    /** Rewrites "N (Name)" citations to the new numbering; drops citations of rules not kept. */
    static String rewrite(String thoughts, Map<Integer, Integer> renumber) {
        String t = thoughts.replaceAll("\\s+", " ").trim();
        Matcher m = CITATION.matcher(t);
        List<String> kept = new ArrayList<>();
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
}
