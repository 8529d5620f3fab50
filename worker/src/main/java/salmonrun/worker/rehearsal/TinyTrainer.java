package salmonrun.worker.rehearsal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import salmonrun.activities.salmon.Progress;
import salmonrun.activities.salmon.ProgressListener;

/**
 * A small but real trainer for the orchestration rehearsal: a byte-level next-token MLP (embedding 256xH, output
 * Hx256) trained by SGD on a text, checkpointing weights and step to a directory every N steps and resuming
 * exactly from one (batches depend only on seed and step). Stands in for the model engine where orchestration
 * tests and benchmarks need many quick, deterministic, checkpointed steps.
 */
public final class TinyTrainer {
    static final int V = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Saves a checkpoint directory and returns its registered artifact id. */
    interface CheckpointSink {
        long save(Path dir, int step) throws IOException;
    }

    record Result(Path model, int step, double loss, int resumedFrom) {}

    private final int hidden;
    private final float[] emb;  // [V, hidden]
    private final float[] out;  // [hidden, V]
    private int step;

    public TinyTrainer(int hidden, long seed) {
        this.hidden = hidden;
        this.emb = new float[V * hidden];
        this.out = new float[hidden * V];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) (r.nextGaussian() * 0.1);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (r.nextGaussian() * 0.1);
        }
    }

    /** Loads a checkpoint directory (weights.bin + state.json). */
    public static TinyTrainer load(Path dir) throws IOException {
        ObjectNode state = (ObjectNode) JSON.readTree(dir.resolve("state.json").toFile());
        TinyTrainer t = new TinyTrainer(state.get("hidden").asInt(), 0);
        t.step = state.get("step").asInt();
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(dir.resolve("weights.bin"))))) {
            for (int i = 0; i < t.emb.length; i++) {
                t.emb[i] = in.readFloat();
            }
            for (int i = 0; i < t.out.length; i++) {
                t.out[i] = in.readFloat();
            }
        }
        return t;
    }

    /** Writes weights and step into {@code dir}. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(dir.resolve("weights.bin"))))) {
            for (float f : emb) {
                o.writeFloat(f);
            }
            for (float f : out) {
                o.writeFloat(f);
            }
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("hidden", hidden);
        state.put("step", step);
        JSON.writeValue(dir.resolve("state.json").toFile(), state);
    }

    /** Counts steps from zero again (a loaded model starting a new training run). */
    void restart() {
        step = 0;
    }

    int step() {
        return step;
    }

    /** Mean next-byte cross-entropy on the text. */
    double loss(byte[] text) {
        double total = 0;
        int n = Math.min(text.length - 1, 4096);
        float[] logits = new float[V];
        for (int i = 0; i < n; i++) {
            total += forward(text[i] & 0xff, text[i + 1] & 0xff, logits, null, 0f);
        }
        return total / n;
    }

    /**
     * Trains up to {@code totalSteps}, saving a checkpoint every {@code checkpointEvery} steps through the sink and
     * reporting every step; the listener may throw (cancellation) and that ends training.
     */
    Result train(byte[] text, int totalSteps, int batch, float lr, int checkpointEvery, long seed, Path workDir,
                 CheckpointSink sink, ProgressListener listener) throws IOException {
        int resumedFrom = step;
        float[] logits = new float[V];
        float[] grad = new float[hidden];
        double loss = Double.NaN;
        while (step < totalSteps) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + step);
            double sum = 0;
            for (int b = 0; b < batch; b++) {
                int i = r.nextInt(text.length - 1);
                sum += forward(text[i] & 0xff, text[i + 1] & 0xff, logits, grad, lr / batch * 64);
            }
            loss = sum / batch;
            step++;
            Long ckpt = null;
            if (step % checkpointEvery == 0 || step == totalSteps) {
                Path dir = workDir.resolve("ckpt-" + step);
                save(dir);
                ckpt = sink.save(dir, step);
            }
            listener.onProgress(new Progress("train", step, totalSteps, Map.of("loss", loss), ckpt));
        }
        Path fin = workDir.resolve("final");
        save(fin);
        return new Result(fin, step, loss, resumedFrom);
    }

    /** Cross-entropy of {@code y} after {@code x}; when {@code grad} is given, takes one SGD step. */
    private double forward(int x, int y, float[] logits, float[] grad, float lr) {
        int e = x * hidden;
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < V; v++) {
            float s = 0;
            for (int h = 0; h < hidden; h++) {
                s += emb[e + h] * out[h * V + v];
            }
            logits[v] = s;
            max = Math.max(max, s);
        }
        double z = 0;
        for (int v = 0; v < V; v++) {
            z += Math.exp(logits[v] - max);
        }
        double loss = -(logits[y] - max - Math.log(z));
        if (grad != null) {
            java.util.Arrays.fill(grad, 0f);
            for (int v = 0; v < V; v++) {
                float p = (float) (Math.exp(logits[v] - max) / z);
                float d = p - (v == y ? 1f : 0f);
                for (int h = 0; h < hidden; h++) {
                    grad[h] += d * out[h * V + v];
                    out[h * V + v] -= lr * d * emb[e + h];
                }
            }
            for (int h = 0; h < hidden; h++) {
                emb[e + h] -= lr * grad[h];
            }
        }
        return loss;
    }
}
