package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.Scorer;
import salmonrun.activities.model.TinyModels;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/** {@code salmon model logprobs|generate} on a real tiny checkpoint: stable JSON shapes and exit codes. */
class ModelCommandTest {

    private static Path checkpoint(Path tmp) {
        Path tok = TinyModels.tokenizer(tmp.resolve("tokenizer.json"), 300);
        Path dir = tmp.resolve("model");
        try (TextTokenizer t = TextTokenizer.load(tok); LlamaModel m = TinyModels.model(t.vocabSize(), 4)) {
            Checkpoint.save(dir, m, tok, null);
        }
        return dir;
    }

    @Test
    void logprobsPrintsTokensLogprobsAndTheirTotal(@TempDir Path tmp) throws Exception {
        Path dir = checkpoint(tmp);
        CliRunner.Result r = CliRunner.run("model", "logprobs", "--model", dir.toString(), "--prompt", "the salmon", "--continuation", " swims upstream");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<String> fields = List.of("tokens", "logprobs", "total");
        assertEquals(fields, iterable(json.fieldNames()));
        assertEquals(json.path("tokens").size(), json.path("logprobs").size());
        StringBuilder text = new StringBuilder();
        double sum = 0;
        for (int i = 0; i < json.path("tokens").size(); i++) {
            text.append(json.path("tokens").get(i).asText());
            sum += json.path("logprobs").get(i).asDouble();
            assertTrue(json.path("logprobs").get(i).asDouble() < 0);
        }
        assertEquals(" swims upstream", text.toString());
        assertEquals(sum, json.path("total").asDouble(), 1e-5);
        // Same numbers as the library call.
        try (TextTokenizer t = Checkpoint.loadTokenizer(dir); LlamaModel m = Checkpoint.loadDecoder(dir, Device.cpu())) {
            float[] lp = new Scorer(m, 1).continuationLogProbs(List.of(t.encode("the salmon")),
                    List.of(t.encode(" swims upstream"))).get(0);
            assertEquals(lp[0], json.path("logprobs").get(0).asDouble(), 1e-6);
        }
    }

    @Test
    void generateIsSeededAndGreedyByDefault(@TempDir Path tmp) throws Exception {
        Path dir = checkpoint(tmp);
        ObjectMapper json = new ObjectMapper();
        JsonNode greedy = json.readTree(CliRunner.run("model", "generate", "--model", dir.toString(), "--prompt", "the bear",
                "--max-new-tokens", "6").out());
        assertEquals(6, greedy.path("tokens").size());
        assertEquals("length", greedy.path("finish_reason").asText());
        assertTrue(greedy.has("text"));
        String[] sampled = new String[3];
        for (int i = 0; i < 3; i++) {
            String seed = i < 2 ? "5" : "6";
            sampled[i] = json.readTree(CliRunner.run("model", "generate", "--model", dir.toString(), "--prompt", "the bear",
                    "--max-new-tokens", "12", "--temperature", "1.5", "--top-p", "1.0", "--seed", seed).out())
                    .path("tokens").toString();
        }
        assertEquals(sampled[0], sampled[1]);
        assertNotEquals(sampled[0], sampled[2]);
    }

    @Test
    void aBadCheckpointFailsWithAMessageNamingTheProblem(@TempDir Path tmp) throws Exception {
        Path dir = checkpoint(tmp);
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        CliRunner.Result r = CliRunner.run("model", "generate", "--model", dir.toString(), "--prompt", "x");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("salmon model generate: "), r.err());
        assertTrue(r.err().contains("model.safetensors"), r.err());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
