package salmonrun.activities.salmon;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ModelConfig;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.BpeTrainer;
import salmonrun.activities.model.tokenizer.TextTokenizer;
import salmonrun.activities.model.train.PackedBatches;
import salmonrun.activities.model.train.TrainConfig;
import salmonrun.activities.model.train.Trainer;
import salmonrun.activities.sandbox.CorpusGenerator;
import salmonrun.activities.sandbox.SandboxPreset;

/** A quickly pretrained sandbox base model for tests (the real one comes from `salmon sandbox pretrain`). */
final class SandboxBases {
    private SandboxBases() {}

    static Path pretrain(SandboxPreset p, Path dir, long steps, long seed) {
        List<String> corpus = CorpusGenerator.standard().generate(p.documents(), seed);
        Path tok = dir.resolveSibling(dir.getFileName() + "-tokenizer.json");
        BpeTrainer.trainAndWrite(corpus.subList(0, Math.min(p.tokenizerDocs(), corpus.size())), p.vocab(),
                List.of("<|endoftext|>", "<pad>"), 2, tok);
        try (TextTokenizer t = TextTokenizer.load(tok);
             LlamaModel m = LlamaModel.random(ModelConfig.of(t.vocabSize(), p.hidden(), p.layers(), p.heads(),
                     p.kvHeads(), p.intermediate(), p.context(), true), seed, Device.cpu())) {
            int[] stream = PackedBatches.pack(Arrays.asList(t.encodeAll(corpus)), t.tokenId("<|endoftext|>").getAsInt());
            Trainer.train(m, new PackedBatches(stream, p.rows(), p.context(), seed), TrainConfig.of(steps, p.lr(), seed),
                    tok, ProgressListener.NONE);
            Checkpoint.save(dir, m, tok, null);
        }
        return dir;
    }
}
