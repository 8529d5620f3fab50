package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.model.tokenizer.BpeTrainer;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/** Our BPE trainer writes a tokenizer.json that DJL's Hugging Face tokenizer loads and uses losslessly. */
class TokenizerTest {

    @Test
    void trainedTokenizerReloadsThroughDjlAndRoundTrips(@TempDir Path tmp) throws IOException {
        Path file = TinyModels.tokenizer(tmp.resolve("tokenizer.json"), 320);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals("BPE", json.path("model").path("type").asText());
        assertEquals("ByteLevel", json.path("pre_tokenizer").path("type").asText());
        try (TextTokenizer tok = TextTokenizer.load(file)) {
            assertEquals(320, tok.vocabSize());
            assertEquals(0, tok.tokenId("<|endoftext|>").orElseThrow());
            assertEquals(1, tok.tokenId("<pad>").orElseThrow());
            for (String text : List.of("the salmon swims upstream. Number 7!", "Unseen wörds, émojis 🐟 and\n\ttabs  ",
                    "the bear returns to the sea")) {
                int[] ids = tok.encode(text);
                assertEquals(text, tok.decode(ids), "round trip of " + text);
            }
            // Learned merges: a corpus sentence needs far fewer tokens than bytes.
            String seen = "the salmon swims upstream";
            int[] ids = tok.encode(seen);
            assertTrue(ids.length * 3 <= seen.length(), "expected merged tokens, got " + ids.length);
            // Special tokens are single ids and survive decoding.
            int[] withEot = tok.encode("the tide<|endoftext|>");
            assertEquals(0, withEot[withEot.length - 1]);
            assertEquals("the tide", tok.decodeSkippingSpecial(withEot));
            int[][] batch = tok.encodeAll(List.of("the tide", seen));
            assertEquals(List.of(tok.encode("the tide").length, ids.length), List.of(batch[0].length, batch[1].length));
        }
    }

    @Test
    void trainingIsDeterministicAndValidatesTheSize(@TempDir Path tmp) throws IOException {
        BpeTrainer.Vocabulary a = BpeTrainer.train(TinyModels.corpus(), 300, List.of("<|endoftext|>"), 2);
        BpeTrainer.Vocabulary b = BpeTrainer.train(TinyModels.corpus(), 300, List.of("<|endoftext|>"), 2);
        assertEquals(a.tokens(), b.tokens());
        assertEquals(300, a.tokens().size());
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train(TinyModels.corpus(), 100, List.of(), 2));
        assertThrows(IllegalArgumentException.class, () -> TextTokenizer.load(tmp.resolve("missing.json")));
    }
}
