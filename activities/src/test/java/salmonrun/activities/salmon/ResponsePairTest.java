package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResponsePairTest {

    private static List<ResponsePair.Sample> samples(String tag, int n) {
        List<ResponsePair.Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ResponsePair.Sample(Prompt.of("instruction " + i),
                    "\nanswer " + tag + " number " + i + " is long enough\n\n### User\nnext"));
        }
        return out;
    }

    @Test
    void sortsZipsTruncatesAndShufflesLikeCollectionsShuffle() {
        List<ResponsePair.Sample> a = samples("A", 20);
        List<ResponsePair.Sample> b = new ArrayList<>(samples("B", 20));
        Collections.reverse(b); // zipping is by sorted instruction, not by file order
        List<ResponsePair> pairs = ResponsePair.pair(a, b, 16, 42);
        assertEquals(20, pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            ResponsePair p = pairs.get(i);
            assertEquals(i, p.exampleIdx());
            String n = p.prompt().instruction().substring("instruction ".length());
            assertEquals("answer A number " + n + " is long enough", p.output1());
            assertEquals("answer B number " + n + " is long enough", p.output2());
        }
        // the shuffle is java.util.Collections.shuffle's algorithm with Random(seed)
        List<String> sorted = a.stream().map(s -> s.prompt().instruction()).sorted().collect(Collectors.toList());
        Collections.shuffle(sorted, new Random(42));
        assertEquals(sorted, pairs.stream().map(p -> p.prompt().instruction()).toList());
        assertNotEquals(pairs, ResponsePair.pair(a, b, 16, 43));
        assertEquals(pairs, ResponsePair.pair(a, b, 16, 42));
    }

    @Test
    void dropsPairsWithAShortOutput() {
        List<ResponsePair.Sample> a = List.of(new ResponsePair.Sample(Prompt.of("x"), "short"),
                new ResponsePair.Sample(Prompt.of("y"), "a reply of plenty of characters"));
        List<ResponsePair.Sample> b = List.of(new ResponsePair.Sample(Prompt.of("x"), "another long reply here"),
                new ResponsePair.Sample(Prompt.of("y"), "again a long enough reply"));
        List<ResponsePair> pairs = ResponsePair.pair(a, b, 16, 1);
        assertEquals(Set.of("y"), pairs.stream().map(p -> p.prompt().instruction()).collect(Collectors.toSet()));
    }

    @Test
    void rejectsMismatchedSampleLists() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ResponsePair.pair(samples("A", 2), samples("B", 3), 16, 1));
        assertTrue(e.getMessage().contains("2 vs 3"));
        List<ResponsePair.Sample> other = List.of(new ResponsePair.Sample(Prompt.of("zzz"), "x"),
                new ResponsePair.Sample(Prompt.of("instruction 0"), "x"));
        assertThrows(IllegalArgumentException.class, () -> ResponsePair.pair(samples("A", 2), other, 1, 1));
    }

    @Test
    void jsonlRoundTrips() {
        List<ResponsePair> pairs = ResponsePair.pair(samples("A", 5), samples("B", 5), 16, 7);
        assertEquals(pairs, ResponsePair.fromJsonl(ResponsePair.toJsonl(pairs)));
    }

    @Test
    void judgePromptEndsInsideOutputParenthesis() {
        String p = new JudgePrompt("Salmon").render("Add 1 and 1.", "2", "3", "Correct", "The answer is right.");
        assertEquals("# Salmon\n\n## System Overview\n\nSalmon compares two answers to the same request against one "
                + "stated criterion.\n\n## User Conversation\n\n### User\nWhich output better satisfies the criterion?\n\n"
                + "Instruction: Add 1 and 1.\n\nOutput (a): 2\n\nOutput (b): 3\n\nCriterion: Correct: The answer is right."
                + "\n\n### Salmon\nAfter reading both outputs against the criterion Correct, the better output is Output (", p);
    }
}
