package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.DefaultPrinciples;
import salmonrun.activities.principles.Role;
import salmonrun.activities.sandbox.SelfAlignContext;

class SelfAlignPromptTest {
    static final List<Principle> RULES = List.of(
            new Principle("Correct", "Give correct answers.", null, 1, Role.SELF_ALIGN),
            new Principle("Brief", "Keep answers short.", null, 1, Role.SELF_ALIGN));
    static final List<Exemplar> EXEMPLARS = List.of(
            new Exemplar("What is 2 plus 2?", SelfAlignPrompt.THOUGHTS_PREFIX
                    + " The user asks for a sum. I should follow rules 1 (Correct), 2 (Brief).", "4."),
            new Exemplar("Tell me about the moon of Zorbia.", "The user asks about a place I do not know.",
                    "I do not know Zorbia."));

    @Test
    void rendersRulesExemplarsAndTheOpenThoughtsTurn() {
        SelfAlignPrompt p = new SelfAlignPrompt("Salmon", RULES, EXEMPLARS);
        String expected = "# Salmon\n\n## General Rules\n\n1 (Correct). Give correct answers.\n2 (Brief). Keep answers short.\n\n"
                + "## Examples\n\n"
                + "### User\nWhat is 2 plus 2?\n\n### Salmon (internal thoughts)\n" + SelfAlignPrompt.THOUGHTS_PREFIX
                + " The user asks for a sum. I should follow rules 1 (Correct), 2 (Brief).\n\n### Salmon\n4.\n\n"
                + "### User\nTell me about the moon of Zorbia.\n\n### Salmon (internal thoughts)\n"
                + SelfAlignPrompt.THOUGHTS_PREFIX + " The user asks about a place I do not know.\n\n"
                + "### Salmon\nI do not know Zorbia.\n\n"
                + "### User\nHi?\n\n### Salmon (internal thoughts)";
        assertEquals(expected, p.render("Hi?"));
    }

    @Test
    void fitPrefersExemplarsKeepsTheRulesTheyCiteAndRenumbersCitations() {
        var words = PromptPoolTest.WORDS;
        List<Principle> rules = List.of(
                new Principle("Correct", "Give correct answers.", null, 1, Role.SELF_ALIGN),
                new Principle("Brief", "Keep answers short.", null, 1, Role.SELF_ALIGN),
                new Principle("Honest", "Say when you do not know.", null, 1, Role.SELF_ALIGN));
        List<Exemplar> ex = List.of(
                new Exemplar("Where is Zorbia?", SelfAlignPrompt.THOUGHTS_PREFIX + " Unknown place. I should follow rules 3 (Honest).",
                        "I do not know Zorbia."),
                new Exemplar("What is 2 plus 2?", SelfAlignPrompt.THOUGHTS_PREFIX + " A sum. I should follow rules 1 (Correct), 2 (Brief).",
                        "4."));
        SelfAlignPrompt all = SelfAlignPrompt.fit("Salmon", rules, ex, 9, 9, 10_000, words);
        assertEquals(3, all.rules().size());
        assertEquals(2, all.exemplars().size());
        // room for the first exemplar and only the rule it cites: that rule becomes rule 1
        SelfAlignPrompt one = SelfAlignPrompt.fit("Salmon", rules, ex, 1, 1, 10_000, words);
        assertEquals(List.of("Honest"), one.rules().stream().map(Principle::name).toList());
        assertTrue(one.meta().contains("1 (Honest). Say when you do not know."), one.meta());
        assertTrue(one.meta().contains("I should follow rule 1 (Honest)."), one.meta());
        // a budget below two exemplars: one exemplar and whatever rules still fit
        int withOne = words.applyAsInt(SelfAlignPrompt.fit("Salmon", rules, ex, 9, 1, 10_000, words).meta());
        SelfAlignPrompt tight = SelfAlignPrompt.fit("Salmon", rules, ex, 9, 9, withOne, words);
        assertEquals(1, tight.exemplars().size());
        assertTrue(words.applyAsInt(tight.meta()) <= withOne);
        // nothing fits
        assertThrows(IllegalArgumentException.class, () -> SelfAlignPrompt.fit("Salmon", rules, ex, 9, 9, 3, words));
        assertThrows(IllegalArgumentException.class, () -> SelfAlignPrompt.fit("Salmon", List.of(), ex, 9, 9, 999, words));
    }

    @Test
    void rendersTheSameBytesAsTheSandboxEvalForTheDefaultSet() {
        var rules = DefaultPrinciples.principles().withRole(Role.SELF_ALIGN);
        var ex = DefaultPrinciples.exemplars().exemplars();
        var words = PromptPoolTest.WORDS;
        for (int maxEx : new int[] {0, 1, 2, 6}) {
            SelfAlignPrompt mine = SelfAlignPrompt.fit("Salmon", rules, ex, 99, maxEx, 100_000, words);
            SelfAlignContext theirs = SelfAlignContext.fit(rules, ex, maxEx, words, 100_000, 0);
            assertEquals(theirs.prompt("What is 3 plus 4?"), mine.render("What is 3 plus 4?"));
        }
    }
}
