package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.checkpoint.CheckpointException;
import salmonrun.activities.model.checkpoint.SafeTensors;

/** Checkpoint directories: HF names and layout, exact round trip, dtypes, shards, and clear rejections. */
class CheckpointTest {
    private static final int VOCAB = 40;
    private static final long[] TOKENS = {3, 1, 4, 1, 5, 9, 2, 6};

    private static float[] logits(LlamaModel m) {
        try (NoGrad ignored = new NoGrad(); NDManager s = m.manager().newSubManager()) {
            return m.logits(s.create(TOKENS, new Shape(1, TOKENS.length)), null, null, null).toFloatArray();
        }
    }

    @Test
    void roundTripKeepsHuggingFaceNamesAndLogits(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        Path tok = TinyModels.tokenizer(tmp.resolve("tok.json"), 280);
        try (LlamaModel m = TinyModels.model(VOCAB, 1)) {
            Checkpoint.save(dir, m, tok, null);
            JsonNode header = header(dir.resolve("model.safetensors"));
            assertTrue(header.has("model.embed_tokens.weight"));
            assertTrue(header.has("model.layers.1.self_attn.q_proj.weight"));
            assertTrue(header.has("model.layers.0.mlp.down_proj.weight"));
            assertTrue(header.has("lm_head.weight"));
            assertEquals(List.of(32, 32), shape(header, "model.layers.0.self_attn.q_proj.weight"));
            assertEquals(List.of(16, 32), shape(header, "model.layers.0.self_attn.k_proj.weight")); // 2 kv heads x 8
            assertEquals("F32", header.path("model.norm.weight").path("dtype").asText());
            JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
            assertEquals(32, config.path("hidden_size").asInt());
            assertEquals(2, config.path("num_key_value_heads").asInt());
            assertEquals("LlamaForCausalLM", config.path("architectures").path(0).asText());
            assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
            try (LlamaModel loaded = Checkpoint.loadDecoder(dir, Device.cpu())) {
                assertArrayEquals(logits(m), logits(loaded), 0f);
            }
        }
    }

    @Test
    void readsBf16Fp16AndShardedCheckpoints(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        try (LlamaModel m = TinyModels.model(VOCAB, 2)) {
            Checkpoint.save(dir, m, null, null);
        }
        Map<String, HostTensor> weights = SafeTensors.read(dir.resolve("model.safetensors"));
        // Rewrite as two shards: the first in bfloat16, the second in float16, with an index.
        Path sharded = tmp.resolve("sharded");
        Files.createDirectories(sharded);
        Files.copy(dir.resolve("config.json"), sharded.resolve("config.json"));
        List<HostTensor> all = new ArrayList<>(weights.values());
        List<HostTensor> first = all.subList(0, all.size() / 2);
        List<HostTensor> second = all.subList(all.size() / 2, all.size());
        HalfWriter.write(sharded.resolve("model-00001-of-00002.safetensors"), first, "BF16");
        HalfWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), second, "F16");
        Map<String, String> map = new LinkedHashMap<>();
        first.forEach(t -> map.put(t.name(), "model-00001-of-00002.safetensors"));
        second.forEach(t -> map.put(t.name(), "model-00002-of-00002.safetensors"));
        Files.writeString(sharded.resolve("model.safetensors.index.json"),
                new ObjectMapper().writeValueAsString(Map.of("metadata", Map.of(), "weight_map", map)));
        Map<String, HostTensor> back = Checkpoint.readWeights(sharded);
        for (HostTensor t : first) {
            float[] expected = HalfWriter.roundTrip(t.data(), "BF16");
            assertArrayEquals(expected, back.get(t.name()).data(), 0f, t.name());
        }
        for (HostTensor t : second) {
            assertArrayEquals(HalfWriter.roundTrip(t.data(), "F16"), back.get(t.name()).data(), 0f, t.name());
        }
        try (LlamaModel loaded = Checkpoint.loadDecoder(sharded, Device.cpu());
             LlamaModel original = Checkpoint.loadDecoder(dir, Device.cpu())) {
            assertArrayEquals(logits(original), logits(loaded), 0.05f); // half precision weights
        }
    }

    @Test
    void rejectsAShapeThatDoesNotMatchTheConfig(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        try (LlamaModel m = TinyModels.model(VOCAB, 3)) {
            Checkpoint.save(dir, m, null, null);
        }
        Map<String, HostTensor> w = new LinkedHashMap<>(SafeTensors.read(dir.resolve("model.safetensors")));
        w.put("model.layers.1.mlp.up_proj.weight",
                new HostTensor("model.layers.1.mlp.up_proj.weight", new long[] {63, 32}, new float[63 * 32]));
        SafeTensors.write(dir.resolve("model.safetensors"), w.values(), Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.loadDecoder(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("model.layers.1.mlp.up_proj.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("[63, 32]") && e.getMessage().contains("[64, 32]"), e.getMessage());
    }

    @Test
    void rejectsATruncatedFileNamingTheTensor(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        try (LlamaModel m = TinyModels.model(VOCAB, 3)) {
            Checkpoint.save(dir, m, null, null);
        }
        Path file = dir.resolve("model.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.loadDecoder(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("lm_head.weight"), e.getMessage());
        Files.write(file, new byte[] {1, 2, 3});
        e = assertThrows(CheckpointException.class, () -> Checkpoint.loadDecoder(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsMissingAndUnexpectedTensorsAndBadConfig(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        try (LlamaModel m = TinyModels.model(VOCAB, 3)) {
            Checkpoint.save(dir, m, null, null);
        }
        Map<String, HostTensor> w = new LinkedHashMap<>(SafeTensors.read(dir.resolve("model.safetensors")));
        HostTensor removed = w.remove("model.layers.0.post_attention_layernorm.weight");
        SafeTensors.write(dir.resolve("model.safetensors"), w.values(), Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.loadDecoder(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("missing tensor model.layers.0.post_attention_layernorm.weight"), e.getMessage());

        w.put(removed.name(), removed);
        w.put("model.layers.0.self_attn.q_proj.bias", new HostTensor("model.layers.0.self_attn.q_proj.bias",
                new long[] {32}, new float[32]));
        SafeTensors.write(dir.resolve("model.safetensors"), w.values(), Map.of());
        e = assertThrows(CheckpointException.class, () -> Checkpoint.loadDecoder(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("unexpected tensor model.layers.0.self_attn.q_proj.bias"), e.getMessage());

        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"num_key_value_heads\" : 2", "\"num_key_value_heads\" : 3"));
        e = assertThrows(CheckpointException.class, () -> Checkpoint.loadDecoder(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("num_key_value_heads"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    private static JsonNode header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
    }

    private static List<Integer> shape(JsonNode header, String name) {
        List<Integer> s = new ArrayList<>();
        header.path(name).path("shape").forEach(d -> s.add(d.asInt()));
        return s;
    }
}
