package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.train.SftBatches;
import salmonrun.activities.model.train.TrainConfig;
import salmonrun.activities.model.train.Trainer;

/**
 * P4: principle engraving. Fine-tunes the base model on the filtered self-aligned answers without rules or
 * exemplars in context (format 1, short system prompt alternating by example id, loss on
 * {@code "\n" + response + "\n\n### User"} only, no EOS). Every {@code checkpointEvery} steps and at the end
 * the model and optimizer state are registered as a {@code checkpoint} artifact; an execution that is run
 * again (a retried attempt) resumes from the newest one it registered and ends with the same weights as an
 * uninterrupted run.
 */
public final class EngravingPhase {

    /**
     * Training settings; {@code epochs} over the data decide the step count; {@code systemPrompts} is
     * (concise, standard) or empty for {@link ChatFormat}'s defaults.
     */
    public record Config(String assistant, List<String> systemPrompts, double epochs, int batchRows, int accumulation,
            int maxLength, double lr, long checkpointEvery, long seed) {
        public Config {
            systemPrompts = List.copyOf(systemPrompts);
            if (epochs <= 0 || batchRows < 1 || accumulation < 1 || maxLength < 2 || lr <= 0 || checkpointEvery < 0) {
                throw new IllegalArgumentException("invalid engraving config: " + epochs + " epochs, " + batchRows
                        + " rows, " + accumulation + " accumulation, max length " + maxLength + ", lr " + lr);
            }
        }

        /** Steps needed for the epochs over {@code examples} examples. */
        public long steps(int examples) {
            return Math.max(1, (long) Math.ceil(epochs * examples / ((double) batchRows * accumulation)));
        }
    }

    /** The final checkpoint artifact, the step training resumed from (0 if fresh), and this call's losses. */
    public record Result(long checkpointArtifactId, long resumedFromStep, long steps, List<Float> losses) {}

    private EngravingPhase() {}

    public static Result run(PhaseContext ctx, Config config, long dataArtifactId, long baseCheckpointArtifactId) {
        List<SelfAlignExample> data = SelfAlignFilterPhase.read(ctx, dataArtifactId);
        if (data.isEmpty()) {
            throw new IllegalArgumentException("self-align data artifact " + dataArtifactId + " holds no examples");
        }
        Artifact dataArtifact = ctx.lineage().artifact(dataArtifactId);
        Path baseDir = ModelCheckpoints.dir(ctx, baseCheckpointArtifactId);
        Optional<Artifact> newest = ctx.lineage().newestArtifact(ctx.executionId(), ModelCheckpoints.KIND);
        Path work;
        try {
            work = Files.createTempDirectory("salmon-engrave");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ModelCheckpoints.Loaded m = ModelCheckpoints.load(ctx, baseCheckpointArtifactId)) {
            Path ckpt = work.resolve("checkpoint");
            if (newest.isPresent()) {
                copyTree(ctx.store().resolve(newest.get().sha256()), ckpt); // the trainer resumes from it
            }
            ChatFormat format = ChatFormat.of(config.assistant(), config.systemPrompts());
            List<SftBatches.Example> examples = new ArrayList<>();
            for (SelfAlignExample e : data) {
                SftExample x = SftExample.of(format, e);
                examples.add(new SftBatches.Example(m.tokenizer().encode(x.prompt()), m.tokenizer().encode(x.target())));
            }
            int pad = m.model().config().padTokenId() == null ? 0 : m.model().config().padTokenId();
            long steps = config.steps(data.size());
            TrainConfig tc = TrainConfig.of(steps, config.lr(), config.seed()).withAccumulation(config.accumulation())
                    .withCheckpoints(ckpt, config.checkpointEvery());
            SftBatches batches = new SftBatches(examples, config.batchRows(), config.accumulation(),
                    Math.min(config.maxLength(), m.context() - 1), pad, config.seed());
            long resumed = newest.map(a -> a.metadata().path("step").asLong(0)).orElse(0L);
            Map<String, Long> registered = new HashMap<>();
            Trainer.Result r = Trainer.train(m.model(), batches, tc, baseDir.resolve(Checkpoint.TOKENIZER), p -> {
                Long ckptId = null;
                double savedAt = p.metrics().getOrDefault("checkpoint_step", -1.0);
                if (savedAt > 0) {
                    ObjectNode meta = SalmonJson.MAPPER.createObjectNode();
                    meta.put("step", (long) savedAt);
                    meta.put("total_steps", steps);
                    meta.put("phase", "engrave");
                    meta.put("examples", data.size());
                    meta.put("data_sha256", dataArtifact.sha256());
                    meta.set("config", SalmonJson.MAPPER.valueToTree(config));
                    ckptId = ctx.registerDirectory(ModelCheckpoints.KIND, ckpt, meta, List.of(
                            new ArtifactEdge(dataArtifactId, "data"),
                            new ArtifactEdge(baseCheckpointArtifactId, "base-model"))).id();
                    registered.put("final", ckptId);
                }
                ctx.lineage().recordTrainingMetrics(ctx.executionId(), (int) p.step(), p.metrics());
                ctx.report(p.stage(), p.step(), p.total(), p.metrics(), ckptId);
            });
            Long finalId = registered.get("final");
            if (finalId == null) { // already complete before this call: the newest registered one is final
                finalId = newest.orElseThrow(() -> new IllegalStateException("training registered no checkpoint")).id();
            }
            return new Result(finalId, resumed, steps, r.losses());
        } finally {
            deleteTree(work);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy checkpoint " + from, e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless; the checkpoints are in the store
        }
    }
}
