package salmonrun.activities.sandbox;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ModelConfig;
import salmonrun.activities.model.Scorer;
import salmonrun.activities.model.checkpoint.AtomicFiles;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.BpeTrainer;
import salmonrun.activities.model.tokenizer.TextTokenizer;
import salmonrun.activities.model.train.PackedBatches;
import salmonrun.activities.model.train.TrainConfig;
import salmonrun.activities.model.train.Trainer;
import salmonrun.activities.salmon.ProgressListener;

/**
 * {@code salmon sandbox pretrain}: generates the corpus, trains a byte-level BPE tokenizer and a Llama-style base
 * model on it within the preset's time budget, and writes a standard checkpoint directory (config.json,
 * model.safetensors, tokenizer.json) plus {@code sandbox-pretrain.json} with the run's figures.
 */
public final class SandboxPretrainer {

    /** The end-of-text special token separating documents. */
    public static final String END_OF_TEXT = "<|endoftext|>";
    /** The run summary written next to the checkpoint. */
    public static final String SUMMARY_FILE = "sandbox-pretrain.json";

    /** Figures of one pretraining run. */
    public record Result(String preset, long seed, long parameters, int vocab, long corpusTokens, long steps,
                         long tokensSeen, double trainSeconds, double totalSeconds, double heldOutLossBefore,
                         double heldOutLossAfter, double tokensPerSecond, boolean stoppedByBudget, String out) {}

    /** Thrown from the progress listener when the wall-clock budget is spent; the model so far is kept. */
    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent() {
            super("training budget spent", null, false, false);
        }
    }

    private SandboxPretrainer() {}

    /**
     * Runs the whole pretraining; {@code log} receives human-readable progress lines. A lock file beside {@code out}
     * ({@code OUT.lock}) keeps a second run from writing into the same directory while this one trains.
     */
    public static Result pretrain(SandboxPreset preset, Path out, long seed, ProgressListener listener, Consumer<String> log) {
        Path lockFile = out.toAbsolutePath().resolveSibling(out.getFileName() + ".lock");
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = exclusive(channel, out)) {
                try {
                    return pretrainLocked(preset, out, seed, listener, log);
                } finally {
                    Files.deleteIfExists(lockFile); // only the holder removes it, before releasing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox pretraining cannot lock " + lockFile, e);
        }
    }

    private static FileLock exclusive(FileChannel channel, Path out) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this process
        }
        if (lock == null) {
            throw new IllegalArgumentException("another sandbox pretrain is writing to " + out + "; choose another --out");
        }
        return lock;
    }

    private static Result pretrainLocked(SandboxPreset preset, Path out, long seed, ProgressListener listener,
                                         Consumer<String> log) {
        long t0 = System.nanoTime();
        if (Files.exists(out.resolve("config.json"))) {
            throw new IllegalArgumentException("output directory " + out + " already holds a checkpoint; choose another --out");
        }
        CorpusGenerator corpus = CorpusGenerator.standard();
        List<String> docs = corpus.generate(preset.documents(), seed);
        List<String> validation = corpus.generate(preset.validationDocs(), seed + 1_000_003L);
        log.accept(String.format("corpus: %d documents (%d held out) in %.1f s", docs.size(), validation.size(), secs(t0)));
        try {
            Path work = Files.createTempDirectory("sandbox-pretrain");
            Path tokenizerJson = work.resolve("tokenizer.json");
            BpeTrainer.trainAndWrite(docs.subList(0, Math.min(preset.tokenizerDocs(), docs.size())), preset.vocab(),
                    List.of(END_OF_TEXT), 2, tokenizerJson);
            try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerJson)) {
                int eot = tokenizer.tokenId(END_OF_TEXT).orElseThrow();
                List<int[]> encoded = new ArrayList<>(List.of(tokenizer.encodeAll(docs)));
                // Windows start at document boundaries: a review's verdict must see the answers it compares.
                PackedBatches data = PackedBatches.documentAligned(encoded, eot, preset.rows(), preset.context(), seed);
                log.accept(String.format("tokenizer: %d tokens; corpus %d tokens (%.0f per document) at %.1f s",
                        tokenizer.vocabSize(), data.tokens(), data.tokens() / (double) docs.size(), secs(t0)));
                ModelConfig config = ModelConfig.of(tokenizer.vocabSize(), preset.hidden(), preset.layers(), preset.heads(),
                        preset.kvHeads(), preset.intermediate(), preset.context(), true).withTokens(null, eot, eot);
                List<int[]> heldOut = new ArrayList<>(List.of(tokenizer.encodeAll(validation)));
                try (LlamaModel model = LlamaModel.random(config, seed, Device.cpu())) {
                    double before = heldOutLoss(model, heldOut, preset.context());
                    // Whatever corpus, tokenizer and calibration cost comes out of the training time, so the run ends
                    // within totalSeconds; about 10% of the elapsed time is kept for the final loss and checkpoint.
                    double perStep = secondsPerStep(preset, config, data, seed);
                    int budget = (int) Math.max(5, Math.min(preset.trainSeconds(), (preset.totalSeconds() - secs(t0) * 1.1) / 1.2));
                    long steps = Math.max(3, Math.min(preset.maxSteps(), (long) (budget / Math.max(1e-6, perStep))));
                    log.accept(preset.trainSeconds() >= SandboxPreset.UNLIMITED_SECONDS
                            ? String.format("calibration: %.3f s per step; %d fixed steps (about %.0f s)", perStep, steps, steps * perStep)
                            : String.format("calibration: %.3f s per step -> %d steps for %d s", perStep, steps, budget));
                    Files.createDirectories(out.toAbsolutePath().getParent());
                    TrainConfig tc = TrainConfig.of(steps, preset.lr(), seed).withCheckpoints(out, Math.max(50, steps / 5));
                    long start = System.nanoTime();
                    long[] done = {0};
                    double[] rate = {0};
                    ProgressListener budgeted = p -> {
                        done[0] = p.step();
                        rate[0] = p.metrics().getOrDefault("tokens_per_s", 0.0);
                        listener.onProgress(p);
                        if (p.step() % Math.max(1, steps / 20) == 0) {
                            log.accept(String.format("step %d/%d loss %.3f (%.0f tokens/s)", p.step(), steps,
                                    p.metrics().get("loss"), rate[0]));
                        }
                        if (secs(start) > budget * 1.1 && p.step() < steps) {
                            throw new BudgetSpent();
                        }
                    };
                    boolean stopped = false;
                    try {
                        Trainer.train(model, data, tc, tokenizerJson, budgeted);
                    } catch (BudgetSpent e) {
                        stopped = true;
                        Checkpoint.save(out, model, tokenizerJson, null);
                    }
                    double trainSeconds = secs(start);
                    double after = heldOutLoss(model, heldOut, preset.context());
                    Result r = new Result(preset.name(), seed, config.parameterCount(), tokenizer.vocabSize(), data.tokens(),
                            done[0], done[0] * preset.rows() * (long) preset.context(), round(trainSeconds), round(secs(t0)),
                            round(before), round(after), round(done[0] * preset.rows() * (double) preset.context() / trainSeconds),
                            stopped, out.toAbsolutePath().toString());
                    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                    AtomicFiles.writeString(out.resolve(SUMMARY_FILE), json.writeValueAsString(r));
                    log.accept(String.format("held-out loss %.3f -> %.3f; %d steps in %.0f s; checkpoint %s", before, after,
                            done[0], trainSeconds, out));
                    return r;
                }
            } finally {
                Files.deleteIfExists(tokenizerJson);
                Files.deleteIfExists(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox pretraining failed writing " + out, e);
        }
    }

    /** Seconds per optimizer step, from a few calibration steps on a throwaway model. */
    static double secondsPerStep(SandboxPreset preset, ModelConfig config, PackedBatches data, long seed) {
        int probe = 4;
        long[] firstDone = {0};
        long[] lastDone = {0};
        try (LlamaModel scratch = LlamaModel.random(config, seed + 1, Device.cpu())) {
            Trainer.train(scratch, data,
                    TrainConfig.of(probe, preset.lr(), seed), null, p -> {
                        if (p.step() == 1) {
                            firstDone[0] = System.nanoTime();
                        }
                        lastDone[0] = System.nanoTime();
                    });
        }
        return (lastDone[0] - firstDone[0]) / 1e9 / (probe - 1);
    }

    /** Mean next-token loss (nats) over held-out documents, each cut to the context. */
    public static double heldOutLoss(LlamaModel model, List<int[]> docs, int context) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> conts = new ArrayList<>();
        for (int[] d : docs) {
            if (d.length < 2) {
                continue;
            }
            int len = Math.min(d.length, context);
            prompts.add(new int[] {d[0]});
            int[] c = new int[len - 1];
            System.arraycopy(d, 1, c, 0, len - 1);
            conts.add(c);
        }
        double sum = 0;
        long n = 0;
        for (float[] lp : new Scorer(model, 8).continuationLogProbs(prompts, conts)) {
            for (float x : lp) {
                sum -= x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Reads the summary a pretraining run wrote into its checkpoint directory. */
    public static Map<String, Object> readSummary(Path dir) {
        Path f = dir.resolve(SUMMARY_FILE);
        if (!Files.exists(f)) {
            return new LinkedHashMap<>();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new ObjectMapper().readValue(f.toFile(), Map.class);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + f, e);
        }
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

}
