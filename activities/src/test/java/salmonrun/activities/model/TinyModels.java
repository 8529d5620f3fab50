package salmonrun.activities.model;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import salmonrun.activities.model.tokenizer.BpeTrainer;

/** Small shapes for fast tests (also reused by other modules' tests through the test-jar). */
public final class TinyModels {
    private TinyModels() {
    }

    /** 2 layers, hidden 32, 4 query heads sharing 2 kv heads, untied, context 64. */
    public static ModelConfig config(int vocab) {
        return ModelConfig.of(vocab, 32, 2, 4, 2, 64, 64, false);
    }

    /** A random tiny decoder. */
    public static LlamaModel model(int vocab, long seed) {
        return LlamaModel.random(config(vocab), seed, Device.cpu());
    }

    /** A few hundred short sentences with repeated words, enough to learn merges. */
    public static List<String> corpus() {
        String[] subjects = {"the salmon", "a river", "the bear", "an old fisher", "the tide"};
        String[] verbs = {"swims", "waits", "jumps", "returns", "counts"};
        String[] objects = {"upstream", "at dawn", "over the falls", "to the sea", "forty-two times"};
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            docs.add(subjects[i % 5] + " " + verbs[(i / 5) % 5] + " " + objects[(i / 25) % 5] + ". Number " + i + "!");
        }
        return docs;
    }

    /** Trains a byte-level BPE tokenizer of {@code vocab} ids on {@link #corpus()} into {@code file}. */
    public static Path tokenizer(Path file, int vocab) {
        BpeTrainer.trainAndWrite(corpus(), vocab, List.of("<|endoftext|>", "<pad>"), 2, file);
        return file;
    }
}
