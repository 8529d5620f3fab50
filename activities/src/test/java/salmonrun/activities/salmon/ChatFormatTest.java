package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatFormatTest {
    private final ChatFormat f = ChatFormat.standard();

    @Test
    void promptAndTargetFollowFormatOne() {
        assertEquals("# Salmon\n\n## System Overview\n\nSYS\n\n## User Conversation\n\n### User\nHello?\n\n### Salmon",
                f.prompt("SYS", "Hello?"));
        assertEquals("\nHi there.\n\n### User", f.target("Hi there.", true));
        assertEquals("\nHi th", f.target("Hi th", false));
        assertFalse(f.target("x", true).contains("</s>"));
    }

    @Test
    void cutsAtTheFirstEndOfTurnMarker() {
        assertEquals(new ChatFormat.Reply("Four.", true), f.cut("\nFour.\n\n### User\nmore\n\n### User"));
        assertEquals(new ChatFormat.Reply("Four and", false), f.cut("\nFour and"));
        assertEquals(new ChatFormat.Reply("Four.", true), f.cut("\nFour.\n### User"));
    }

    @Test
    void systemPromptsAlternateByExampleIdAndNameTheAssistant() {
        ChatFormat d = new ChatFormat("Dromedary");
        assertEquals(d.conciseSystemPrompt(), d.systemPromptFor(0));
        assertEquals(d.standardSystemPrompt(), d.systemPromptFor(1));
        assertEquals(d.conciseSystemPrompt(), d.systemPromptFor(-2));
        assertNotEquals(d.conciseSystemPrompt(), d.standardSystemPrompt());
        assertTrue(d.conciseSystemPrompt().startsWith("Dromedary "));
        assertThrows(IllegalArgumentException.class, () -> new ChatFormat("a\nb"));
        ChatFormat own = ChatFormat.of("Salmon", List.of("{assistant} is brief.", "{assistant} is thorough."));
        assertEquals("Salmon is brief.", own.systemPromptFor(2));
        assertEquals("Salmon is thorough.", own.systemPromptFor(3));
        assertThrows(IllegalArgumentException.class, () -> ChatFormat.of("Salmon", List.of("one")));
    }

    @Test
    void sftExampleUsesAlternatingSystemPromptsAndNoRules() {
        SelfAlignExample even = new SelfAlignExample(4, new Prompt("Add 1 and 1.", "", null, null), "2.", true);
        SelfAlignExample odd = new SelfAlignExample(7, new Prompt("Name a colour.", "please", null, null), "Red", false);
        List<SftExample> xs = List.of(SftExample.of(f, even), SftExample.of(f, odd));
        assertEquals(f.prompt(f.conciseSystemPrompt(), "Add 1 and 1.") , xs.get(0).prompt());
        assertEquals("\n2.\n\n### User", xs.get(0).target());
        assertEquals(f.prompt(f.standardSystemPrompt(), "Name a colour.\n\nplease"), xs.get(1).prompt());
        assertEquals("\nRed", xs.get(1).target());
        assertTrue(xs.get(0).prompt().endsWith("### Salmon"));
        assertFalse(xs.get(0).prompt().contains("General Rules"));
    }
}
