package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFileReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsReferenceJsonArrayWithTags() throws Exception {
        Path f = write("merged.json", """
                [
                  {"instruction": "Add 2 and 3.", "input": "", "output": ""},
                  {"instruction": "Summarise.", "input": "Some text", "question_type": 1, "length_bonus": -0.4}
                ]
                """);
        List<Prompt> ps = PromptFileReader.read(f);
        assertEquals(2, ps.size());
        assertEquals("Add 2 and 3.", ps.get(0).userTurn());
        assertNull(ps.get(0).questionType());
        assertEquals("Summarise.\n\nSome text", ps.get(1).userTurn());
        assertEquals(1, ps.get(1).questionType());
        assertEquals(-0.4, ps.get(1).lengthBonus());
    }

    @Test
    void readsJsonLinesSkippingBlankLines() throws Exception {
        Path f = write("p.jsonl", "{\"instruction\":\"a\"}\n\n{\"instruction\":\"b\",\"input\":null}\n");
        List<Prompt> ps = PromptFileReader.read(f);
        assertEquals(List.of(Prompt.of("a"), Prompt.of("b")), ps);
    }

    @Test
    void unknownFieldNamesFileLineAndField() throws Exception {
        Path f = write("bad.jsonl", "{\"instruction\":\"a\"}\n{\"instrucion\":\"b\"}\n");
        PromptFileException e = assertThrows(PromptFileException.class, () -> PromptFileReader.read(f));
        assertTrue(e.getMessage().contains("bad.jsonl: line 2: unknown field 'instrucion'"), e.getMessage());
    }

    @Test
    void unknownFieldInArrayNamesTheObjectsLine() throws Exception {
        Path f = write("bad.json", "[\n {\"instruction\":\"a\"},\n {\"instruction\":\"b\",\n  \"topic\":\"x\"}\n]");
        PromptFileException e = assertThrows(PromptFileException.class, () -> PromptFileReader.read(f));
        assertTrue(e.getMessage().contains("bad.json: line 3: unknown field 'topic'"), e.getMessage());
    }

    @Test
    void wrongTypesAndMissingInstructionAreNamed() throws Exception {
        assertMessage("{\"input\":\"x\"}", "line 1: missing field 'instruction'");
        assertMessage("{\"instruction\":\"  \"}", "line 1: field 'instruction' must be a non-blank string");
        assertMessage("{\"instruction\":\"a\",\"question_type\":3}", "field 'question_type' must be 0, 1 or 2");
        assertMessage("{\"instruction\":\"a\",\"length_bonus\":\"big\"}", "field 'length_bonus' must be a finite number");
        assertMessage("{\"instruction\":\"a\",\"input\":5}", "field 'input' must be a string");
        assertMessage("{\"instruction\":\"a\"}\n{oops", "line 2: invalid JSON");
        assertMessage("[1]", "line 1: expected a prompt object");
        assertMessage("   \n", "prompt file is empty");
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("absent.json");
        PromptFileException e = assertThrows(PromptFileException.class, () -> PromptFileReader.read(f));
        assertTrue(e.getMessage().contains("absent.json"), e.getMessage());
    }

    private void assertMessage(String content, String expected) throws Exception {
        Path f = write("case.jsonl", content);
        PromptFileException e = assertThrows(PromptFileException.class, () -> PromptFileReader.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
