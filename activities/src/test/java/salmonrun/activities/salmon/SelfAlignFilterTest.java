package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.Exemplar;

class SelfAlignFilterTest {
    static final String P = SelfAlignPrompt.THOUGHTS_PREFIX;
    static final List<Exemplar> EXEMPLARS = List.of(
            new Exemplar("Who governs the kingdom of Velmora in 2031?", P + " I should follow rules 3 (Honest).",
                    "I am sorry, I do not know who governs Velmora in 2031."),
            new Exemplar("Sort the numbers 9, 4, 7 for me.", P + " I should follow rules 1 (Correct).",
                    "Sorted ascending they are 4, 7, 9 and that is all."),
            new Exemplar("Plan a picnic for my grandmother.", P + " I should follow rules 5 (Helpful).",
                    "I am sorry, I cannot plan it alone, but bring sandwiches and a blanket."));
    static final List<String> POOL = List.of("What is the capital of Frumia?", "Add 3 and 5.",
            "Write a poem about rain for me.", "Tell me a joke about the numbers.", "How do I plan a trip?");

    private SelfAlignFilter filter() {
        return new SelfAlignFilter("Salmon", ExemplarBlacklist.derive(EXEMPLARS, POOL, "Salmon", 0.2, 4),
                SelfAlignFilter.Config.defaults());
    }

    private static String out(String thoughts, String answer) {
        return "\n" + P + " " + thoughts + "\n\n### Salmon\n" + answer;
    }

    @Test
    void blacklistHoldsExemplarTopicsButNotStyleOrCommonWords() {
        ExemplarBlacklist b = ExemplarBlacklist.derive(EXEMPLARS, POOL, "Salmon", 0.2, 4);
        assertTrue(b.topicWords().containsAll(List.of("velmora", "2031", "governs", "picnic", "grandmother")),
                b.topicWords().toString());
        // "plan" is in a pool instruction, "sorry" is in two exemplars, "numbers" is common in the pool
        assertFalse(b.topicWords().contains("plan"));
        assertFalse(b.topicWords().contains("sorry"));
        assertFalse(b.topicWords().contains("numbers"));
        assertTrue(b.phrases().contains("they are 4 7"), b.phrases().toString());
        assertTrue(b.phrases().contains("who governs velmora in"), b.phrases().toString());
        // style is not content: honest refusals and admissions stay allowed
        assertFalse(b.phrases().stream().anyMatch(x -> x.startsWith("i am sorry")), b.phrases().toString());
        assertFalse(b.phrases().contains("i do not know"), b.phrases().toString());
    }

    @Test
    void keepsAGoodFinishedAnswerAndCutsAtTheNextUserTurn() {
        SelfAlignFilter f = filter();
        var kept = f.apply("Add 3 and 5.", out("The user asks for a sum.", "3 plus 5 is 8.\n\n### User\nAnother?"));
        assertEquals(new SelfAlignFilter.Kept("3 plus 5 is 8.", true), kept);
        assertEquals(1, f.kept());
    }

    @Test
    void keepsAnUnfinishedAnswerWithoutItsPartialWord() {
        SelfAlignFilter f = filter();
        assertEquals(new SelfAlignFilter.Kept("Rain falls softly on the", false),
                f.apply("Write a poem about rain for me.", out("A poem.", "Rain falls softly on the roo")));
    }

    @Test
    void dropsEachKindOfBadOutputAndCountsIt() {
        SelfAlignFilter f = filter();
        assertNull(f.apply("Add 3 and 5.", "\nThe answer is 8.\n\n### Salmon\n8."));
        assertNull(f.apply("Add 3 and 5.", out("A sum.", "no marker").replace("### Salmon", "Salmon:")));
        assertNull(f.apply("Add 3 and 5.", out("A sum.", "\n\n### User")));
        assertNull(f.apply("Add 3 and 5.", out("A sum.", "8.\n\n### User"))); // finished but shorter than 8 chars
        assertNull(f.apply("Tell me a joke about the numbers.",
                out("Copy.", "Tell me a joke about the numbers. Ha.\n\n### User")));
        assertNull(f.apply("What is the capital of Frumia?",
                out("Facts.", "The capital is near Velmora, I think.\n\n### User")));
        assertNull(f.apply("Add 3 and 5.", out("Sum.", "Well they are 4, 7, 9.\n\n### User")));
        assertNull(f.apply("Add 3 and 5.", out("Sum.", "It is 8. ### Salmon (internal thoughts) more\n\n### User")));
        var d = f.drops();
        assertEquals(1, d.get(SelfAlignFilter.Drop.MISSING_PREFIX));
        assertEquals(1, d.get(SelfAlignFilter.Drop.MISSING_ANSWER_MARKER));
        assertEquals(1, d.get(SelfAlignFilter.Drop.EMPTY));
        assertEquals(1, d.get(SelfAlignFilter.Drop.SHORT_FINISHED));
        assertEquals(1, d.get(SelfAlignFilter.Drop.INSTRUCTION_COPY));
        assertEquals(3, d.get(SelfAlignFilter.Drop.EXEMPLAR_LEAK));
        assertEquals(8, f.seen());
        assertEquals(0, f.kept());
        assertEquals(1, f.leakTerms().get("velmora"));
        assertTrue(f.leakTerms().keySet().stream().anyMatch(t -> t.contains("4 7")), f.leakTerms().toString());
        assertEquals(1, f.leakTerms().get("(internal thoughts)"));
    }

    @Test
    void aTopicTermAlsoInTheInstructionIsNotALeak() {
        SelfAlignFilter f = filter();
        assertEquals("Velmora is not a place I know.",
                f.apply("Where is Velmora?", out("Unknown.", "Velmora is not a place I know.\n\n### User")).response());
    }

    @Test
    void removesRepeatedSentences() {
        assertEquals("It is 8. It is even.\nDone.", SelfAlignFilter.dedupSentences("It is 8. It is 8. It is even.\nIt is 8.\nDone."));
        SelfAlignFilter f = filter();
        var k = f.apply("Add 3 and 5.", out("Sum.", "It is 8. It is 8. Good luck!\n\n### User"));
        assertEquals("It is 8. Good luck!", k.response());
        assertEquals(1, f.dedupChanged());
    }

    @Test
    void canDropUnfinishedAnswersWhenConfigured() {
        SelfAlignFilter f = new SelfAlignFilter("Salmon", ExemplarBlacklist.derive(EXEMPLARS, POOL, "Salmon", 0.2, 4),
                new SelfAlignFilter.Config(8, false, 4));
        assertNull(f.apply("Add 3 and 5.", out("Sum.", "It is eight and so on and")));
        assertEquals(1, f.drops().get(SelfAlignFilter.Drop.UNFINISHED));
    }
}
