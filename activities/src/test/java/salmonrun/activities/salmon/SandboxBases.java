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

/**
 * A quickly pretrained sandbox base model for experiments (the real one comes from `salmon sandbox pretrain`):
 * {@code main(preset, outDir, seconds)} calibrates the step time, then trains for the budget.
 */
final class SandboxBases {
    private SandboxBases() {}

    public static void main(String[] args) {
        SandboxPreset p = SandboxPreset.named(args[0]);
        Path out = Path.of(args[1]);
        double seconds = Double.parseDouble(args[2]);
        List<String> corpus = CorpusGenerator.standard().generate(p.documents(), 7);
        Path tok = out.resolveSibling(out.getFileName() + "-tokenizer.json");
        BpeTrainer.trainAndWrite(corpus.subList(0, Math.min(p.tokenizerDocs(), corpus.size())), p.vocab(),
                List.of("<|endoftext|>", "<pad>"), 2, tok);
        try (TextTokenizer t = TextTokenizer.load(tok)) {
            PackedBatches data = PackedBatches.documentAligned(Arrays.asList(t.encodeAll(corpus)),
                    t.tokenId("<|endoftext|>").getAsInt(), p.rows(), p.context(), 7);
            ModelConfig cfg = ModelConfig.of(t.vocabSize(), p.hidden(), p.layers(), p.heads(), p.kvHeads(),
                    p.intermediate(), p.context(), true);
            long calib = 4;
            long t0 = System.nanoTime();
            try (LlamaModel m = LlamaModel.random(cfg, 7, Device.cpu())) {
                Trainer.train(m, data, TrainConfig.of(calib, p.lr(), 7),
                        null, ProgressListener.NONE);
            }
            double perStep = (System.nanoTime() - t0) / 1e9 / calib;
            long steps = Math.max(10, Math.min(p.maxSteps(), (long) (seconds / perStep)));
            System.out.printf("%d tokens in stream, %.3f s/step -> %d steps%n", data.tokens(), perStep, steps);
            try (LlamaModel m = LlamaModel.random(cfg, 7, Device.cpu())) {
                Trainer.train(m, data, TrainConfig.of(steps, p.lr(), 7),
                        tok, pr -> {
                            if (pr.step() % 50 == 0) {
                                System.out.printf("step %d/%d loss %.3f%n", pr.step(), pr.total(), pr.metrics().get("loss"));
                            }
                        });
                Checkpoint.save(out, m, tok, null);
            }
        }
    }

    static Path pretrain(SandboxPreset p, Path dir, long steps, long seed) {
        List<String> corpus = CorpusGenerator.standard().generate(p.documents(), seed);
        Path tok = dir.resolveSibling(dir.getFileName() + "-tokenizer.json");
        BpeTrainer.trainAndWrite(corpus.subList(0, Math.min(p.tokenizerDocs(), corpus.size())), p.vocab(),
                List.of("<|endoftext|>", "<pad>"), 2, tok);
        try (TextTokenizer t = TextTokenizer.load(tok);
             LlamaModel m = LlamaModel.random(ModelConfig.of(t.vocabSize(), p.hidden(), p.layers(), p.heads(),
                     p.kvHeads(), p.intermediate(), p.context(), true), seed, Device.cpu())) {
            PackedBatches data = PackedBatches.documentAligned(Arrays.asList(t.encodeAll(corpus)),
                    t.tokenId("<|endoftext|>").getAsInt(), p.rows(), p.context(), seed);
            Trainer.train(m, data, TrainConfig.of(steps, p.lr(), seed),
                    tok, ProgressListener.NONE);
            Checkpoint.save(dir, m, tok, null);
        }
        return dir;
    }
}
