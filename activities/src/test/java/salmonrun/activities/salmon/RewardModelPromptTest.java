package salmonrun.activities.salmon;

import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardModelPromptTest {
    /** One token per character: makes token budgets countable by hand. */
    private static final Function<String, int[]> CHARS = s -> s.chars().toArray();

    private static String decode(int[] ids) {
        return new String(ids, 0, ids.length);
    }

    @Test
    void rendersResponseBeforeInstructionAndDefinitionsOnly() {
        Principle concise = new Principle("Concise", "The answer is short.", "The answer is long.", 1, Role.LABELLING);
        Principle honest = new Principle("Honest", "The answer admits what it does not know.", null, 1, Role.RL);
        String text = RewardModelPrompt.render("Four.", "What is 2+2?",
                List.of(RewardModelPrompt.criterionText(concise, true), RewardModelPrompt.criterionText(honest, false)));
        assertEquals("""
                # Review

                ## Response
                Four.

                ## Instruction
                What is 2+2?

                ## Criteria
                - The answer is long.
                - The answer admits what it does not know.
                A good response meets every criterion above.

                ## Verdict
                The quality of the response is""", text);
        assertTrue(!text.contains("Concise") && !text.contains("Honest"), "principle names must not be shown");
    }

    @Test
    void negatingAPrincipleWithoutNegativeDefinitionIsRejected() {
        Principle p = new Principle("Honest", "Admits limits.", null, 1, Role.RL);
        var e = assertThrows(IllegalArgumentException.class, () -> RewardModelPrompt.criterionText(p, true));
        assertTrue(e.getMessage().contains("Honest") && e.getMessage().contains("negative definition"), e.getMessage());
    }

    @Test
    void untruncatedEncodingEqualsRenderedText() {
        var enc = RewardModelPrompt.encode(CHARS, "resp", "inst", List.of("c1"),
                new RewardModelPrompt.Limits(1000, 100, 100));
        assertEquals(RewardModelPrompt.render("resp", "inst", List.of("c1")), decode(enc.ids()));
        assertEquals(0, enc.responseTokensDropped());
    }

    @Test
    void truncatesResponseFirstKeepingItsBeginningThenInstructionKeepingItsEnd() {
        List<String> criteria = List.of("be brief");
        String full = RewardModelPrompt.render("", "", criteria);
        int fixed = full.length();
        // room for 3 response chars + 6 instruction chars
        var enc = RewardModelPrompt.encode(CHARS, "ABCDEFGH", "123456", criteria,
                new RewardModelPrompt.Limits(fixed + 9, 100, 100));
        assertEquals(RewardModelPrompt.render("ABC", "123456", criteria), decode(enc.ids()));
        assertEquals(5, enc.responseTokensDropped());
        assertEquals(0, enc.instructionTokensDropped());

        // room for 2 chars in all: response gone, instruction keeps its end
        enc = RewardModelPrompt.encode(CHARS, "ABCDEFGH", "123456", criteria,
                new RewardModelPrompt.Limits(fixed + 2, 100, 100));
        assertEquals(RewardModelPrompt.render("", "56", criteria), decode(enc.ids()));
        assertTrue(decode(enc.ids()).endsWith("The quality of the response is"));
        assertEquals(fixed + 2, enc.ids().length);
    }

    @Test
    void appliesSeparateInstructionAndResponseCaps() {
        var enc = RewardModelPrompt.encode(CHARS, "ABCDEFGH", "123456", List.of("x"),
                new RewardModelPrompt.Limits(10_000, 2, 3));
        assertEquals(RewardModelPrompt.render("ABC", "56", List.of("x")), decode(enc.ids()));
    }

    @Test
    void refusesWhenCriteriaAloneDoNotFit() {
        var e = assertThrows(IllegalArgumentException.class, () -> RewardModelPrompt.encode(CHARS, "a", "b",
                List.of("a very long criterion that cannot fit"), new RewardModelPrompt.Limits(40, 10, 10)));
        assertTrue(e.getMessage().contains("maxTokens=40"), e.getMessage());
    }

    @Test
    void leftPadsSoEveryRowEndsAtTheLastColumn() {
        var batch = RewardModelPrompt.leftPad(List.of(new int[] {5, 6, 7}, new int[] {9}), 0);
        assertArrayEquals(new int[] {5, 6, 7}, batch.ids()[0]);
        assertArrayEquals(new int[] {0, 0, 9}, batch.ids()[1]);
        assertArrayEquals(new int[] {1, 1, 1}, batch.mask()[0]);
        assertArrayEquals(new int[] {0, 0, 1}, batch.mask()[1]);
        assertEquals(3, batch.length());
    }
}
