package salmonrun.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins the rendered shapes to docs/prompt-formats.md, byte for byte. */
class SandboxFormatsTest {

    @Test
    void chatTranscriptMatchesFormatOne() {
        assertEquals("# Salmon\n\n## System Overview\n\nSys.\n\n## User Conversation\n\n### User\nHi?\n\n### Salmon\nHello.\n\n### User\n",
                SandboxFormats.transcript("Sys.", "Hi?", "Hello."));
        assertTrue(SandboxFormats.chatPrompt("Sys.", "Hi?").endsWith("### User\nHi?\n\n### Salmon"));
    }

    @Test
    void selfAlignPromptMatchesFormatTwo() {
        String p = SandboxFormats.selfAlignPrompt(List.of(new SandboxFormats.RuleLine("A", "Do a."), new SandboxFormats.RuleLine("B", "Do b.")),
                List.of(new SandboxFormats.Example("Q1", SandboxFormats.THOUGHT_PREFIX + " T1.", "R1")), "Q2");
        assertEquals("# Salmon\n\n## General Rules\n\n1 (A). Do a.\n2 (B). Do b.\n\n## Examples\n\n### User\nQ1\n\n### Salmon (internal thoughts)\n"
                + "I am a careful, honest and helpful assistant. T1.\n\n### Salmon\nR1\n\n### User\nQ2\n\n### Salmon (internal thoughts)", p);
    }

    @Test
    void judgePromptMatchesFormatThree() {
        assertEquals("# Salmon\n\n## System Overview\n\nSalmon compares two answers to the same request against one stated criterion.\n\n"
                + "## User Conversation\n\n### User\nWhich output better satisfies the criterion?\n\nInstruction: I\n\nOutput (a): X\n\n"
                + "Output (b): Y\n\nCriterion: N: D\n\n### Salmon\nAfter reading both outputs against the criterion N, the better output is Output (",
                SandboxFormats.judgePrompt("I", "X", "Y", "N", "D"));
    }

    @Test
    void continuationsAreCutAndFiltered() {
        assertEquals("42.", SandboxFormats.cutResponse("\n42.\n\n### User\nmore"));
        assertTrue(SandboxFormats.finished("\n42.\n\n### User"));
        assertFalse(SandboxFormats.finished("\n42. and then"));
        assertEquals("Hi.", SandboxFormats.answerFromThoughts("\n" + SandboxFormats.THOUGHT_PREFIX + " Small talk.\n\n### Salmon\nHi.\n\n### User\n"));
        assertNull(SandboxFormats.answerFromThoughts("\nI think so.\n\n### Salmon\nHi."));
        assertNull(SandboxFormats.answerFromThoughts("\n" + SandboxFormats.THOUGHT_PREFIX + " no answer marker"));
    }

    @Test
    void corpusShapesEqualThePhasesRenderers() {
        assertEquals(new salmonrun.activities.salmon.ChatFormat("Salmon").prompt("Sys.", "Hi?"), SandboxFormats.chatPrompt("Sys.", "Hi?"));
        assertEquals(new salmonrun.activities.salmon.JudgePrompt("Salmon").render("I", "X", "Y", "N", "D"),
                SandboxFormats.judgePrompt("I", "X", "Y", "N", "D"));
        var rules = List.of(new SandboxFormats.RuleLine("A", "Do a."), new SandboxFormats.RuleLine("B", "Do b."));
        var examples = List.of(new SandboxFormats.Example("Q1", SandboxFormats.THOUGHT_PREFIX + " T1.", "R1"),
                new SandboxFormats.Example("Q3", SandboxFormats.THOUGHT_PREFIX + " T3.", "R3"));
        assertEquals(new SelfAlignContext(rules, examples).prompt("Q2"), SandboxFormats.selfAlignPrompt(rules, examples, "Q2"));
        assertEquals(salmonrun.activities.salmon.SelfAlignPrompt.THOUGHTS_PREFIX, SandboxFormats.THOUGHT_PREFIX);
        assertEquals(salmonrun.activities.salmon.ChatFormat.END_OF_TURN, SandboxFormats.END_OF_TURN);
    }
}
