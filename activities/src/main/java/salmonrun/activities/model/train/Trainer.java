package salmonrun.activities.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import salmonrun.activities.model.HostTensor;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.Losses;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.checkpoint.CheckpointException;
import salmonrun.activities.model.checkpoint.TrainingState;
import salmonrun.activities.salmon.Progress;
import salmonrun.activities.salmon.ProgressListener;

/**
 * The causal-LM training loop (hand-written, not DJL's Trainer): masked next-token loss, gradient accumulation,
 * global-norm clipping, AdamW on a warmup+cosine schedule, periodic atomic checkpoints and exact resume.
 */
public final class Trainer {
    private Trainer() {
    }

    /** Losses of the steps this call ran (index 0 = step {@code firstStep}). */
    public record Result(long firstStep, long lastStep, List<Float> losses) {
    }

    /**
     * Trains {@code model} in place. If {@code config.checkpointDir()} holds a checkpoint with training state,
     * its weights, optimizer moments and step are restored first and training continues from there.
     *
     * @param tokenizerJson copied into every checkpoint (nullable)
     */
    public static Result train(LlamaModel model, BatchSource data, TrainConfig config, Path tokenizerJson,
                               ProgressListener listener) {
        try (Optimizer optimizer = new Optimizer(model.parameters(), config.adamW(), config.schedule(), config.clipNorm())) {
            long start = resume(model, optimizer, config);
            List<Float> losses = new ArrayList<>();
            long tokensSinceReport = 0;
            long tokensTrained = 0; // this call's running total: /metrics counts tokens from it
            long clock = System.nanoTime();
            for (long step = start; step < config.steps(); step++) {
                Batch[] micro = new Batch[config.accumulation()];
                int counted = 0;
                for (int m = 0; m < micro.length; m++) {
                    micro[m] = data.batch(step, m);
                    counted += micro[m].countedTokens();
                }
                float loss = 0;
                for (Batch b : micro) {
                    loss += counted == 0 ? 0 : backward(model, b, counted);
                    tokensSinceReport += (long) b.rows() * b.length();
                    tokensTrained += (long) b.rows() * b.length();
                }
                // A step whose rows have no target tokens has nothing to learn from: skip the update.
                Optimizer.StepInfo info = counted == 0 ? new Optimizer.StepInfo(step + 1, 0, 0) : optimizer.step();
                losses.add(loss);
                boolean checkpoint = config.checkpointDir() != null
                        && ((config.checkpointEvery() > 0 && (step + 1) % config.checkpointEvery() == 0)
                        || step + 1 == config.steps());
                if (checkpoint) {
                    save(model, optimizer, config, tokenizerJson, step + 1);
                }
                long now = System.nanoTime();
                double seconds = Math.max(1e-9, (now - clock) / 1e9);
                listener.onProgress(new Progress("train", step + 1, config.steps(), Map.of(
                        "loss", (double) loss, "lr", info.lr(), "grad_norm", info.gradNorm(),
                        "tokens_per_s", tokensSinceReport / seconds, "tokens", (double) tokensTrained,
                        "checkpoint_step", checkpoint ? (double) (step + 1) : -1.0), null));
                tokensSinceReport = 0;
                clock = now;
            }
            return new Result(start, config.steps(), losses);
        }
    }

    /** Forward + backward of one micro-batch; returns its share of the step's mean loss. */
    private static float backward(LlamaModel model, Batch b, int countedInStep) {
        return Gradients.backward(model.manager(), m -> {
            NDArray inputs = m.create(b.inputs(), new Shape(b.rows(), b.length()));   // [B,T]
            NDArray targets = m.create(b.targets(), new Shape(b.rows(), b.length())); // [B,T]
            NDArray mask = m.create(b.lossMask(), new Shape(b.rows(), b.length()));   // [B,T]
            NDArray logits = model.logits(inputs, null, null, null);                 // [B,T,V]
            return Losses.maskedNll(logits, targets, mask, countedInStep);
        });
    }

    private static long resume(LlamaModel model, Optimizer optimizer, TrainConfig config) {
        Path dir = config.checkpointDir();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        Optional<TrainingState> state = Checkpoint.readTrainingState(dir);
        if (state.isEmpty()) {
            return 0;
        }
        String seed = state.get().info().get("seed");
        if (seed != null && Long.parseLong(seed) != config.seed()) {
            throw new CheckpointException(dir + ": checkpoint was trained with seed " + seed + ", this run uses "
                    + config.seed() + "; resuming would not repeat the run");
        }
        Map<String, HostTensor> weights = Checkpoint.readWeights(dir);
        for (String name : model.parameters().asMap().keySet()) {
            HostTensor t = weights.get(name);
            if (t == null) {
                throw new CheckpointException(dir + ": checkpoint is missing tensor " + name);
            }
            model.parameters().copyFrom(t);
        }
        String updates = state.get().info().get("optimizer_steps");
        optimizer.adamW().loadState(state.get().optimizer(),
                updates == null ? state.get().step() : Long.parseLong(updates));
        return state.get().step();
    }

    private static void save(LlamaModel model, Optimizer optimizer, TrainConfig config, Path tokenizerJson, long step) {
        TrainingState state = new TrainingState(step, optimizer.adamW().stateTensors(),
                Map.of("seed", Long.toString(config.seed()), "total_steps", Long.toString(config.steps()),
                        "optimizer_steps", Long.toString(optimizer.steps())));
        Checkpoint.save(config.checkpointDir(), model, tokenizerJson, state);
    }
}
