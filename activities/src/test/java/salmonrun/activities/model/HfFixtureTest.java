package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import salmonrun.activities.model.checkpoint.Checkpoint;

/**
 * A Hugging Face-format checkpoint (bf16, two shards + index, GQA 6:2, untied, rope_theta 500) written by
 * {@code src/test/python/make_llama_fixture.py}, whose expected logits come from an independent float64 torch
 * transcription of transformers' LlamaForCausalLM forward pass.
 */
class HfFixtureTest {

    @Test
    void logitsMatchTheReferenceImplementation() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/hf-llama-fixture/config.json").toURI()).getParent();
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected_logits.json").toFile());
        int rows = expected.path("shape").get(0).asInt();
        int t = expected.path("shape").get(1).asInt();
        int vocab = expected.path("shape").get(2).asInt();
        long[] tokens = new long[rows * t];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < t; i++) {
                tokens[r * t + i] = expected.path("tokens").get(r).get(i).asLong();
            }
        }
        try (LlamaModel model = Checkpoint.loadDecoder(dir, Device.cpu());
             NoGrad ignored = new NoGrad(); NDManager m = model.manager().newSubManager()) {
            assertEquals(2, model.config().numKeyValueHeads());
            float[] logits = model.logits(m.create(tokens, new Shape(rows, t)), null, null, null).toFloatArray();
            assertEquals(rows * t * vocab, logits.length);
            double maxError = 0;
            for (int i = 0; i < logits.length; i++) {
                maxError = Math.max(maxError, Math.abs(logits[i] - expected.path("logits").get(i).asDouble()));
            }
            assertEquals(0, maxError, 2e-4, "max |logit - reference|");
        }
    }
}
