package salmonrun.activities.model.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ModelConfig;
import salmonrun.activities.model.NoGrad;
import salmonrun.activities.model.generate.Generator;
import salmonrun.activities.model.generate.SamplingParams;
import salmonrun.activities.model.train.PackedBatches;
import salmonrun.activities.model.train.TrainConfig;
import salmonrun.activities.model.train.Trainer;

/**
 * The model benchmark behind {@code salmon bench model}: GEMM peak, training throughput and MFU for ~1M and ~5M
 * parameter models, decoding throughput with and without the KV cache, and RSS growth over a long training run.
 */
public final class ModelBench {
    /** What to run; {@code rssSteps} is the long run (RSS compared at rssSteps/5 and rssSteps). */
    public record Options(int trainSteps, int rows, int context, int decodeTokens, int rssSteps, int rssContext,
                          boolean skipRss, boolean onlyRss, int threads) {
        public static Options standard() {
            return new Options(6, 8, 512, 128, 5000, 512, false, false, 0);
        }
    }

    /** The ~1M model the sandbox pretrains (tied embeddings, context 512). */
    public static ModelConfig oneM() {
        return ModelConfig.of(1024, 128, 4, 4, 4, 352, 512, true);
    }

    /** A ~5M model of the same family. */
    public static ModelConfig fiveM() {
        return ModelConfig.of(1024, 256, 6, 8, 8, 688, 512, true);
    }

    /** Runs everything and returns the figures in report order. */
    public static Map<String, Object> run(Options o, Consumer<String> log) {
        Map<String, Object> out = new LinkedHashMap<>();
        ai.djl.engine.Engine.getEngine("PyTorch");
        if (o.threads() > 0) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(o.threads());
        }
        out.put("threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
        if (o.onlyRss()) {
            out.putAll(rssGrowth(o.rssSteps(), o.rssContext(), log));
            return out;
        }
        double gemm = gemmGflops(1024, 20);
        out.put("gemm_gflops", round(gemm));
        log.accept("gemm " + round(gemm) + " GFLOP/s");
        for (Map.Entry<String, ModelConfig> e : Map.of("1m", oneM(), "5m", fiveM()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            ModelConfig c = e.getValue();
            double tps = trainTokensPerSecond(c, o.rows(), o.context(), o.trainSteps());
            double flopsPerToken = 6.0 * c.parameterCount() + 12.0 * c.numHiddenLayers() * c.hiddenSize() * o.context();
            out.put("params_" + e.getKey(), c.parameterCount());
            out.put("train_tokens_per_s_" + e.getKey(), round(tps));
            out.put("train_mfu_" + e.getKey(), round(tps * flopsPerToken / 1e9 / gemm));
            log.accept("train " + e.getKey() + ": " + round(tps) + " tok/s, mfu " + round(tps * flopsPerToken / 1e9 / gemm));
        }
        try (LlamaModel model = LlamaModel.random(oneM(), 1, Device.cpu())) {
            for (int batch : new int[] {1, 16}) {
                for (boolean cache : new boolean[] {true, false}) {
                    double tps = decodeTokensPerSecond(model, batch, o.decodeTokens(), cache);
                    String key = "decode_tokens_per_s_b" + batch + (cache ? "_kv" : "_nocache");
                    out.put(key, round(tps));
                    log.accept(key + " " + round(tps));
                }
            }
        }
        if (!o.skipRss()) {
            out.putAll(rssGrowth(o.rssSteps(), o.rssContext(), log));
        }
        return out;
    }

    /** fp32 n x n matrix product rate in this process (the practical peak MFU is measured against). */
    public static double gemmGflops(int n, int reps) {
        try (NoGrad ignored = new NoGrad(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < 3; i++) {
                try (NDScope s = new NDScope()) {
                    a.matMul(b).getFloat(0, 0);
                }
            }
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (NDScope s = new NDScope()) {
                    a.matMul(b).getFloat(0, 0);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return 2.0 * n * n * n * reps / seconds / 1e9;
        }
    }

    static int[] randomStream(int vocab, int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = new int[length];
        for (int i = 0; i < length; i++) {
            s[i] = r.nextInt(vocab);
        }
        return s;
    }

    /** Training tokens per second (forward, backward, clip, AdamW) after two warm-up steps. */
    public static double trainTokensPerSecond(ModelConfig c, int rows, int context, int steps) {
        try (LlamaModel model = LlamaModel.random(c, 1, Device.cpu())) {
            PackedBatches data = new PackedBatches(randomStream(c.vocabSize(), 200_000, 2), rows, context, 3);
            long[] start = new long[1];
            Trainer.train(model, data, TrainConfig.of(steps + 2, 1e-3, 1), null, p -> {
                if (p.step() == 2) {
                    start[0] = System.nanoTime();
                }
            });
            double seconds = (System.nanoTime() - start[0]) / 1e9;
            return (double) steps * rows * context / seconds;
        }
    }

    /**
     * Generated tokens per second (all rows) for a 16-token prompt, greedy, after two warm-up runs of the same length
     * (a generation phase runs thousands of steps, so the JIT-compiled steady state is what it sees).
     */
    public static double decodeTokensPerSecond(LlamaModel model, int batch, int newTokens, boolean cache) {
        int[][] prompts = new int[batch][];
        for (int b = 0; b < batch; b++) {
            prompts[b] = randomStream(model.config().vocabSize(), 16, b);
        }
        long[] seeds = new long[batch];
        Generator g = new Generator(model, null);
        for (int warmUp = 0; warmUp < 2; warmUp++) {
            g.generate(prompts, SamplingParams.greedy(newTokens), seeds, cache);
        }
        long start = System.nanoTime();
        g.generate(prompts, SamplingParams.greedy(newTokens), seeds, cache);
        return (double) batch * newTokens / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Trains the ~1M model (1 row of {@code context} tokens per step to keep the run short) for {@code steps} steps
     * and compares resident memory at steps/5 and at the end (1,000 vs 5,000 by default).
     */
    public static Map<String, Object> rssGrowth(int steps, int context, Consumer<String> log) {
        Map<String, Object> out = new LinkedHashMap<>();
        long[] early = new long[1];
        long[] late = new long[1];
        long checkpoint = Math.max(1, steps / 5);
        try (LlamaModel model = LlamaModel.random(oneM(), 1, Device.cpu())) {
            PackedBatches data = new PackedBatches(randomStream(1024, 200_000, 2), 1, context, 3);
            Trainer.train(model, data, TrainConfig.of(steps, 1e-3, 1), null, p -> {
                if (p.step() == checkpoint) {
                    early[0] = rssKb();
                }
                if (p.step() % 1000 == 0) {
                    log.accept("rss step " + p.step() + ": " + rssKb() / 1024 + " MiB");
                }
            });
            late[0] = rssKb();
        }
        out.put("rss_steps", List.of(checkpoint, steps));
        out.put("rss_context", context);
        out.put("rss_mib", List.of(early[0] / 1024, late[0] / 1024));
        out.put("rss_growth", round((double) (late[0] - early[0]) / early[0]));
        return out;
    }

    /** Resident set size of this process in KiB (Linux). */
    public static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
