package salmonrun.worker.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ExecutionDetail;
import salmonrun.activities.lineage.ExecutionKeys;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.lineage.NewArtifact;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.activities.lineage.StoredObject;
import salmonrun.activities.salmon.ProgressListener;
import salmonrun.activities.sandbox.SandboxPreset;

/**
 * The sandbox base model, pretrained once per (preset, code version) and reused afterwards through lineage
 * memoization: a {@code sandbox_pretrain} phase execution whose execution key is the preset and code version, and
 * whose output is the registered {@code checkpoint} artifact.
 */
public final class SandboxBaseModel {
    /** Lineage phase name of the pretraining execution. */
    public static final String PHASE = "sandbox_pretrain";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Pretrains a base model for a preset into an empty directory; returns its figures. */
    @FunctionalInterface
    public interface Pretrainer {
        Map<String, Double> pretrain(SandboxPreset preset, long seed, Path outDir, ProgressListener progress,
                                     Consumer<String> log) throws Exception;
    }

    /**
     * The base model to use.
     *
     * @param artifactId  the checkpoint artifact
     * @param executionId the pretraining execution that produced it
     * @param reused      true when an earlier pretraining was reused
     * @param seconds     how long the pretraining took when it ran
     * @param metrics     its figures (loss before/after, tokens, parameters ...)
     */
    public record BaseModel(long artifactId, long executionId, boolean reused, double seconds,
                            Map<String, Double> metrics) {}

    private final ActivityServices services;
    private final Pretrainer pretrainer;

    public SandboxBaseModel(ActivityServices services, Pretrainer pretrainer) {
        this.services = services;
        this.pretrainer = pretrainer;
    }

    /** The memoization key: preset sizes, seed and code version. */
    public String executionKey(SandboxPreset preset, long seed) {
        ObjectNode config = JSON.createObjectNode();
        config.set("preset", JSON.valueToTree(preset));
        config.put("seed", seed);
        return ExecutionKeys.of(PHASE, services.codeVersion(), config, List.of(), "");
    }

    /** Reuses a completed pretraining with the same key (unless forced), else pretrains and registers the model. */
    public BaseModel obtain(SandboxPreset preset, long seed, boolean force, String identity, ProgressListener progress,
                            Consumer<String> log) throws Exception {
        String key = executionKey(preset, seed);
        if (!force) {
            Optional<PhaseExecution> done = services.lineage().findCompleted(key);
            if (done.isPresent() && services.lineage().outputsAvailable(done.get())
                    && done.get().outputs().containsKey("model")) {
                PhaseExecution e = done.get();
                return new BaseModel(e.outputs().get("model"), e.id(), true, seconds(services.lineage().execution(e.id())),
                        metricsOf(e.metrics()));
            }
        }
        ObjectNode config = JSON.createObjectNode();
        config.set("preset", JSON.valueToTree(preset));
        config.put("seed", seed);
        PhaseExecution execution = services.lineage().startExecution(new ExecutionStart(null, PHASE,
                "demo/" + PHASE + "/" + UUID.randomUUID(), key, identity, null, null, config));
        Path out = Files.createTempDirectory("salmon-pretrain-");
        try {
            Map<String, Double> metrics = pretrainer.pretrain(preset, seed, out, progress, log);
            StoredObject stored = services.store().putDirectory(out);
            ObjectNode meta = JSON.createObjectNode();
            meta.put("preset", preset.name());
            meta.put("seed", seed);
            meta.set("metrics", JSON.valueToTree(metrics));
            Artifact model = services.lineage().registerArtifact(new NewArtifact("checkpoint", stored, meta,
                    execution.id(), null, List.of()));
            services.lineage().completeExecution(execution.id(), Map.of("model", model.id()),
                    JSON.valueToTree(metrics));
            return new BaseModel(model.id(), execution.id(), false,
                    seconds(services.lineage().execution(execution.id())), Map.copyOf(metrics));
        } catch (Exception e) {
            try {
                services.lineage().failExecution(execution.id(), String.valueOf(e.getMessage()));
            } catch (RuntimeException ignored) {
                // The original failure matters more than the bookkeeping one.
            }
            throw e;
        } finally {
            deleteTree(out);
        }
    }

    static double seconds(ExecutionDetail d) {
        if (d.startedAt() == null || d.finishedAt() == null) {
            return 0;
        }
        return Duration.between(d.startedAt(), d.finishedAt()).toMillis() / 1000.0;
    }

    static Map<String, Double> metricsOf(JsonNode metrics) {
        Map<String, Double> out = new java.util.TreeMap<>();
        if (metrics != null) {
            metrics.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    out.put(e.getKey(), e.getValue().asDouble());
                }
            });
        }
        return out;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }

}
