package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class PromptPoolTest {
    static final ToIntFunction<String> WORDS = s -> s.isBlank() ? 0 : s.strip().split("\\s+").length;

    @Test
    void filtersByTokenLengthThenRemovesExactDuplicatesKeepingTheFirst() {
        List<Prompt> raw = List.of(
                Prompt.of("hi"),                                   // 1 token: too short
                Prompt.of("what is two plus two"),                 // kept
                Prompt.of("one two three four five six seven"),    // 7: too long
                Prompt.of("what is two plus two"),                 // duplicate
                new Prompt("what is two plus two", "extra", 0, 1.0), // different input: kept
                Prompt.of("What is two plus two"));                // case differs: not an exact duplicate
        PromptPool pool = PromptPool.clean(raw, WORDS, 2, 6);
        assertEquals(List.of(raw.get(1), raw.get(4), raw.get(5)), pool.prompts());
        assertEquals(1, pool.tooShort());
        assertEquals(1, pool.tooLong());
        assertEquals(1, pool.duplicates());
    }

    @Test
    void jsonlRoundTripsAndIsReadableAsAPromptFile() throws Exception {
        PromptPool pool = PromptPool.clean(List.of(new Prompt("a b", "c", 1, -0.4), Prompt.of("d e")), WORDS, 0, 10);
        byte[] bytes = pool.toJsonl();
        assertEquals(pool.prompts(), PromptPool.fromJsonl(bytes));
        assertEquals("{\"input\":\"c\",\"instruction\":\"a b\",\"length_bonus\":-0.4,\"question_type\":1}\n"
                + "{\"input\":\"\",\"instruction\":\"d e\"}\n", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        java.nio.file.Path f = java.nio.file.Files.createTempFile("pool", ".jsonl");
        try {
            java.nio.file.Files.write(f, bytes);
            assertEquals(pool.prompts(), PromptFileReader.read(f));
        } finally {
            java.nio.file.Files.delete(f);
        }
    }

    @Test
    void rejectsAnInvertedRange() {
        assertThrows(IllegalArgumentException.class, () -> PromptPool.clean(List.of(), WORDS, 5, 2));
    }
}
