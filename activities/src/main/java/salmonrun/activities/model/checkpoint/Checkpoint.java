package salmonrun.activities.model.checkpoint;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import salmonrun.activities.model.HostTensor;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ModelConfig;
import salmonrun.activities.model.ParameterStore;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/**
 * A checkpoint directory in the Hugging Face layout: {@code config.json}, {@code model.safetensors} (or shards
 * with {@code model.safetensors.index.json}) with HF tensor names, {@code tokenizer.json}, and optionally
 * {@code training_state.safetensors} (optimizer moments; step and facts in its metadata).
 * Saving is atomic: the directory is built beside the target and renamed into place.
 */
public final class Checkpoint {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String TRAINING_STATE = "training_state.safetensors";

    private Checkpoint() {
    }

    /**
     * Writes a checkpoint of {@code model} to {@code dir} (replacing it atomically).
     *
     * @param tokenizerJson tokenizer to copy in, or null
     * @param state         optimizer state for resuming, or null for a weights-only checkpoint
     */
    public static void save(Path dir, LlamaModel model, Path tokenizerJson, TrainingState state) {
        Path target = dir.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            ModelConfig config = model instanceof ScalarHeadModel
                    ? model.config().withArchitecture(ScalarHeadModel.ARCHITECTURE) : model.config();
            AtomicFiles.writeString(tmp.resolve(CONFIG), config.toJson());
            List<HostTensor> tensors = new ArrayList<>();
            for (String name : model.parameters().asMap().keySet()) {
                tensors.add(model.parameters().toHost(name));
            }
            SafeTensors.write(tmp.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
            if (tokenizerJson != null) {
                Files.copy(tokenizerJson, tmp.resolve(TOKENIZER));
            }
            if (state != null) {
                Map<String, String> meta = new LinkedHashMap<>(state.info());
                meta.put("step", Long.toString(state.step()));
                SafeTensors.write(tmp.resolve(TRAINING_STATE), state.optimizer().values(), meta);
            }
            replace(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new CheckpointException("cannot save checkpoint " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void replace(Path tmp, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteQuietly(old);
        }
    }

    /** Reads and validates {@code config.json}. */
    public static ModelConfig readConfig(Path dir) {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(dir + ": not a checkpoint directory (no " + CONFIG + ")");
        }
        try {
            return ModelConfig.read(file);
        } catch (RuntimeException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads all weights, single-file or sharded; messages name the file and tensor at fault. */
    public static Map<String, HostTensor> readWeights(Path dir) {
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            Map<String, String> weightMap = SafeTensors.readIndex(index);
            Map<String, HostTensor> all = new HashMap<>();
            for (String shard : new LinkedHashSet<>(weightMap.values())) {
                Path shardFile = dir.resolve(shard);
                if (!Files.isRegularFile(shardFile)) {
                    throw new CheckpointException(index + ": shard " + shard + " is missing");
                }
                all.putAll(SafeTensors.read(shardFile));
            }
            weightMap.forEach((name, shard) -> {
                if (!all.containsKey(name)) {
                    throw new CheckpointException(dir.resolve(shard) + ": tensor " + name
                            + " listed in the index is not in the shard");
                }
            });
            return all;
        }
        Path single = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(single)) {
            throw new CheckpointException(dir + ": no " + WEIGHTS + " and no " + INDEX);
        }
        return SafeTensors.read(single);
    }

    /** Loads the decoder (a scalar head, if saved, is ignored). */
    public static LlamaModel loadDecoder(Path dir, Device device) {
        ModelConfig config = readConfig(dir);
        Map<String, HostTensor> weights = readWeights(dir);
        rejectUnknown(dir, config, weights);
        try {
            return LlamaModel.fromTensors(config, weights, device);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads a scalar-head model; a plain decoder checkpoint gets a zero-initialised head. */
    public static ScalarHeadModel loadScalarHead(Path dir, Device device) {
        ModelConfig config = readConfig(dir).withArchitecture("LlamaForCausalLM");
        Map<String, HostTensor> weights = readWeights(dir);
        rejectUnknown(dir, config, weights);
        try {
            return ScalarHeadModel.fromTensors(config, weights, device);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(dir + ": " + e.getMessage(), e);
        }
    }

    private static void rejectUnknown(Path dir, ModelConfig config, Map<String, HostTensor> weights) {
        Map<String, long[]> expected = ParameterStore.decoderShapes(config);
        for (String name : weights.keySet()) {
            boolean known = expected.containsKey(name) || name.equals(ScalarHeadModel.HEAD)
                    || name.endsWith("rotary_emb.inv_freq")                              // old HF buffers
                    || (name.equals("lm_head.weight") && config.tieWordEmbeddings());    // tied duplicate
            if (!known) {
                throw new CheckpointException(dir + ": unexpected tensor " + name
                        + " (not part of a Llama decoder with this config.json)");
            }
        }
    }

    /** The tokenizer saved in the checkpoint. */
    public static TextTokenizer loadTokenizer(Path dir) {
        Path file = dir.resolve(TOKENIZER);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(dir + ": no " + TOKENIZER);
        }
        return TextTokenizer.load(file);
    }

    /** The training state, if the checkpoint has one. */
    public static Optional<TrainingState> readTrainingState(Path dir) {
        Path file = dir.resolve(TRAINING_STATE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, String> meta = SafeTensors.readMetadata(file);
        String step = meta.get("step");
        if (step == null) {
            throw new CheckpointException(file + ": metadata has no step");
        }
        Map<String, String> info = new LinkedHashMap<>(meta);
        info.remove("step");
        return Optional.of(new TrainingState(Long.parseLong(step), SafeTensors.read(file), info));
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort cleanup of a temporary directory
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
