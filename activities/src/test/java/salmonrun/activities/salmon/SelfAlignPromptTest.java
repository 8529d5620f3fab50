package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;

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
    void fitKeepsRulesFirstThenAsManyExemplarsAsTheBudgetAllows() {
        var words = PromptPoolTest.WORDS;
        int rulesOnly = words.applyAsInt(new SelfAlignPrompt("Salmon", RULES, List.of()).meta());
        int withOne = words.applyAsInt(new SelfAlignPrompt("Salmon", RULES, EXEMPLARS.subList(0, 1)).meta());
        int withTwo = words.applyAsInt(new SelfAlignPrompt("Salmon", RULES, EXEMPLARS).meta());
        assertEquals(2, SelfAlignPrompt.fit("Salmon", RULES, EXEMPLARS, 9, 9, withTwo, words).exemplars().size());
        assertEquals(1, SelfAlignPrompt.fit("Salmon", RULES, EXEMPLARS, 9, 9, withTwo - 1, words).exemplars().size());
        assertEquals(1, SelfAlignPrompt.fit("Salmon", RULES, EXEMPLARS, 9, 1, withTwo, words).exemplars().size());
        SelfAlignPrompt none = SelfAlignPrompt.fit("Salmon", RULES, EXEMPLARS, 9, 9, withOne - 1, words);
        assertEquals(0, none.exemplars().size());
        assertEquals(2, none.rules().size());
        SelfAlignPrompt fewer = SelfAlignPrompt.fit("Salmon", RULES, EXEMPLARS, 9, 9, rulesOnly - 1, words);
        assertEquals(1, fewer.rules().size());
        assertTrue(words.applyAsInt(fewer.meta()) <= rulesOnly - 1);
        assertEquals(1, SelfAlignPrompt.fit("Salmon", RULES, EXEMPLARS, 1, 0, 1000, words).rules().size());
    }
}
