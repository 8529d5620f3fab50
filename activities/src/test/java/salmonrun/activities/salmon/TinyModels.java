package salmonrun.activities.salmon;

import ai.djl.Device;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ModelConfig;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.BpeTrainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real tiny checkpoints for tests: a byte-level BPE tokenizer trained on a small corpus and a random decoder. */
final class TinyModels {
    private TinyModels() {}

    static final String PAD = "<|pad|>";

    /** Sentences of the shapes the tests use (chat transcripts, review prompts). */
    static List<String> corpus() {
        List<String> docs = new ArrayList<>();
        String[] answers = {"Four.", "The answer is four, and I am sure it is a great answer!",
                "I do not know.", "Paris is the capital.", "Sorry, I cannot help with that."};
        for (int i = 0; i < 40; i++) {
            String a = answers[i % answers.length];
            docs.add("# Salmon\n\n## System Overview\n\nSalmon is helpful.\n\n## User Conversation\n\n### User\nWhat is "
                    + i + " plus " + (i + 1) + "?\n\n### Salmon\n" + a + "\n\n### User");
            docs.add(RewardModelPrompt.render(a, "What is " + i + " plus 2?",
                    List.of("The answer is short.", "The answer is long.")));
        }
        return docs;
    }

    /** Writes tokenizer.json into dir and returns its path. */
    static Path tokenizer(Path dir) {
        Path file = dir.resolve("tokenizer.json");
        BpeTrainer.trainAndWrite(corpus(), 384, List.of(PAD), 2, file);
        return file;
    }

    static ModelConfig config(int vocab) {
        return ModelConfig.of(vocab, 32, 2, 4, 2, 64, 512, true);
    }

    /** A random decoder checkpoint (with tokenizer.json) at dir/name. */
    static Path checkpoint(Path dir, String name, long seed) {
        Path tok = dir.resolve("tokenizer.json");
        if (!tok.toFile().exists()) {
            tokenizer(dir);
        }
        int vocab;
        try (var t = salmonrun.activities.model.tokenizer.TextTokenizer.load(tok)) {
            vocab = t.vocabSize();
        }
        Path out = dir.resolve(name);
        try (LlamaModel m = LlamaModel.random(config(vocab), seed, Device.cpu())) {
            Checkpoint.save(out, m, tok, null);
        }
        return out;
    }
}
