package salmonrun.activities.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A Hugging Face tokenizer loaded through DJL from a local {@code tokenizer.json} (never a hub name).
 * Encoding adds no special tokens and never truncates: callers place BOS/EOS themselves.
 */
public final class TextTokenizer implements AutoCloseable {
    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> vocab;
    private final int vocabSize;

    private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer, Map<String, Integer> vocab) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocab = vocab;
        this.vocabSize = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /** Loads {@code tokenizer.json} (a file, or a directory containing one). */
    public static TextTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("tokenizer file not found: " + file);
        }
        Map<String, Integer> vocab = readVocab(file);
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            return new TextTokenizer(file, t, vocab);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Integer> readVocab(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            Map<String, Integer> vocab = new HashMap<>();
            JsonNode v = root.path("model").path("vocab");
            if (v.isObject()) {
                v.fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
            } else if (v.isArray()) { // Unigram: [[piece, score], ...]
                for (int i = 0; i < v.size(); i++) {
                    vocab.put(v.get(i).get(0).asText(), i);
                }
            }
            for (JsonNode added : root.path("added_tokens")) {
                vocab.put(added.path("content").asText(), added.path("id").asInt());
            }
            return vocab;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text} (no special tokens added). */
    public int[] encode(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    /** Token ids of many texts (parallel inside the tokenizer library). */
    public int[][] encodeAll(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
        int[][] out = new int[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            out[i] = toInts(encodings[i].getIds());
        }
        return out;
    }

    /** Text of token ids, special tokens included. */
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, false);
    }

    /** Text of token ids with special tokens left out. */
    public String decodeSkippingSpecial(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    /** The id of a vocabulary entry or added token (e.g. {@code "<|endoftext|>"}). */
    public OptionalInt tokenId(String token) {
        Integer id = vocab.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** One more than the largest id (the embedding rows a model needs). */
    public int vocabSize() {
        return vocabSize;
    }

    /** The {@code tokenizer.json} this was loaded from. */
    public Path file() {
        return file;
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
