package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.activities.model.generate.Generation;
import salmonrun.activities.model.generate.Generator;
import salmonrun.activities.model.generate.SamplingParams;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/** KV-cache decoding against full recomputation, left padding, seeds and stop strings. */
class GeneratorTest {
    private static final int VOCAB = 64;
    private static LlamaModel model;

    @BeforeAll
    static void setUp() {
        model = TinyModels.model(VOCAB, 7);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static final int[][] PROMPTS = {{5, 9, 11, 3, 8, 21, 2}, {7, 1}, {30, 31, 32, 33}};

    @Test
    void greedyWithAndWithoutCacheIsIdentical() {
        Generator g = new Generator(model, null);
        long[] seeds = {1, 2, 3};
        List<Generation> cached = g.generate(PROMPTS, SamplingParams.greedy(20), seeds, true);
        List<Generation> full = g.generate(PROMPTS, SamplingParams.greedy(20), seeds, false);
        for (int i = 0; i < PROMPTS.length; i++) {
            assertEquals(20, cached.get(i).tokens().length);
            assertArrayEquals(full.get(i).tokens(), cached.get(i).tokens(), "row " + i);
            assertEquals("length", cached.get(i).finishReason());
        }
    }

    @Test
    void cachedLogitsMatchAFullForwardPass() {
        int[] p = PROMPTS[0];
        long[] ids = new long[p.length];
        for (int i = 0; i < p.length; i++) {
            ids[i] = p[i];
        }
        try (NoGrad ignored = new NoGrad(); NDManager m = model.manager().newSubManager(); KvCache cache = model.newCache()) {
            float[] full = model.logits(m.create(ids, new Shape(1, ids.length)), null, null, null).toFloatArray();
            // prefill 4 tokens, then feed the remaining 3 one at a time
            NDArray prefix = m.create(java.util.Arrays.copyOf(ids, 4), new Shape(1, 4));
            float[] first = model.logits(prefix, null, null, cache).toFloatArray();
            assertArrayEquals(java.util.Arrays.copyOf(full, 4 * VOCAB), first, 1e-5f);
            for (int t = 4; t < ids.length; t++) {
                float[] step = model.logits(m.create(new long[] {ids[t]}, new Shape(1, 1)), null, null, cache).toFloatArray();
                assertArrayEquals(java.util.Arrays.copyOfRange(full, t * VOCAB, (t + 1) * VOCAB), step, 1e-5f, "position " + t);
            }
        }
    }

    @Test
    void leftPaddingDoesNotChangeARowsOutput() {
        Generator g = new Generator(model, null);
        List<Generation> batched = g.generate(PROMPTS, SamplingParams.greedy(12), new long[] {1, 2, 3}, true);
        for (int i = 0; i < PROMPTS.length; i++) {
            Generation alone = g.generate(new int[][] {PROMPTS[i]}, SamplingParams.greedy(12), new long[] {1}, true).get(0);
            assertArrayEquals(alone.tokens(), batched.get(i).tokens(), "row " + i);
        }
    }

    @Test
    void samplingIsSeededPerRow() {
        Generator g = new Generator(model, null);
        SamplingParams p = SamplingParams.sample(16, 1.0, 0.95).withTopK(40);
        List<Generation> a = g.generate(PROMPTS, p, new long[] {10, 20, 30}, true);
        List<Generation> b = g.generate(PROMPTS, p, new long[] {10, 20, 30}, true);
        List<Generation> noCache = g.generate(PROMPTS, p, new long[] {10, 20, 30}, false);
        List<Generation> c = g.generate(PROMPTS, p, new long[] {11, 21, 31}, true);
        boolean anyDifferent = false;
        for (int i = 0; i < PROMPTS.length; i++) {
            assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
            assertArrayEquals(a.get(i).tokens(), noCache.get(i).tokens());
            anyDifferent |= !java.util.Arrays.equals(a.get(i).tokens(), c.get(i).tokens());
        }
        assertTrue(anyDifferent, "other seeds should give other samples");
    }

    @Test
    void stopsAtEosAndStopStrings(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path tokFile = TinyModels.tokenizer(tmp.resolve("tokenizer.json"), 300);
        try (TextTokenizer tok = TextTokenizer.load(tokFile);
             LlamaModel m = TinyModels.model(tok.vocabSize(), 3)) {
            Generator g = new Generator(m, tok);
            Generation free = g.generate(List.of("the salmon"), SamplingParams.greedy(12), 0).get(0);
            assertEquals(12, free.tokens().length);
            // Stop at a character of the free-running output: generation must end at the first token whose text
            // completes it, and the returned text is cut just before it.
            String full = tok.decode(free.tokens());
            String stop = full.chars().filter(ch -> ch != 0xFFFD && !Character.isWhitespace(ch)).skip(1).findFirst()
                    .stream().mapToObj(ch -> String.valueOf((char) ch)).findFirst().orElseThrow();
            int expectedTokens = 1;
            while (!tok.decode(java.util.Arrays.copyOf(free.tokens(), expectedTokens)).contains(stop)) {
                expectedTokens++;
            }
            String prefix = tok.decode(java.util.Arrays.copyOf(free.tokens(), expectedTokens));
            Generation stopped = g.generate(List.of("the salmon"), SamplingParams.greedy(12).withStop(List.of(stop)), 0)
                    .get(0);
            assertEquals("stop", stopped.finishReason());
            assertEquals(expectedTokens, stopped.tokens().length);
            assertEquals(prefix.substring(0, prefix.indexOf(stop)), stopped.text());
            Generation eos = g.generate(List.of("the salmon"),
                    SamplingParams.greedy(12).withEos(List.of(free.tokens()[1])), 0).get(0);
            assertEquals("eos", eos.finishReason());
            assertEquals(2, eos.tokens().length);
            assertNotEquals("", free.text());
            assertFalse(free.text().contains("<|endoftext|>"));
        }
    }
}
