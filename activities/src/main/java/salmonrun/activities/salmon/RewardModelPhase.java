package salmonrun.activities.salmon;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.checkpoint.TrainingState;
import salmonrun.activities.model.tokenizer.TextTokenizer;
import salmonrun.activities.principles.Principle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Phase P10: trains the instructable reward model from the base checkpoint on an aggregated preference dataset,
 * registering a {@code checkpoint} artifact every {@code checkpointEvery} steps and at the end (metadata
 * {@code role=reward-model}, {@code step}, {@code final}), per-step metrics, and an {@code evaluation} artifact
 * with held-out pairwise accuracy per deciding principle. A retried execution resumes from its newest checkpoint.
 */
public final class RewardModelPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RewardModelPhase() {}

    /** What the phase produced; {@code heldOutAccuracy} is null when nothing was held out. */
    public record Result(long checkpointArtifactId, long evaluationArtifactId, int steps, int trainPairs,
                         int heldOutPairs, Double heldOutAccuracy, Map<String, Map<String, Double>> perPrinciple) {}

    /**
     * Runs the phase.
     *
     * @param labelling principles the dataset names (used when it does not carry the shown definitions); may be empty
     */
    public static Result run(PhaseContext ctx, long baseCheckpointId, long preferenceDatasetId, List<Principle> labelling,
                             RewardModelConfig config) {
        config.validated();
        Path base = Checkpoints.dir(ctx, baseCheckpointId);
        Artifact dataset = ctx.artifact(preferenceDatasetId, "preference-dataset");
        List<RmPair> pairs = PreferenceDatasetReader.read(ctx.read(preferenceDatasetId, "preference-dataset"),
                "preference-dataset artifact " + preferenceDatasetId);
        List<RmPair> train = new ArrayList<>();
        List<RmPair> heldOut = new ArrayList<>();
        for (RmPair p : pairs) {
            (HeldOut.contains(p.instruction(), config.heldOutFraction(), config.seed()) ? heldOut : train).add(p);
        }
        if (train.size() < config.batchPairs()) {
            throw new IllegalArgumentException("preference dataset " + preferenceDatasetId + " leaves " + train.size()
                    + " training pairs after holding out " + heldOut.size() + ", fewer than batchPairs="
                    + config.batchPairs());
        }
        Optional<Artifact> newest = ctx.lineage().newestArtifact(ctx.executionId(), "checkpoint");
        Path start = newest.map(a -> ctx.store().resolve(a.sha256())).orElse(base);
        TrainingState resume = newest.flatMap(a -> Checkpoint.readTrainingState(start)).orElse(null);
        List<ArtifactEdge> inputs = List.of(new ArtifactEdge(baseCheckpointId, "init"),
                new ArtifactEdge(dataset.id(), "training-data"));

        TextTokenizer tokenizer = Checkpoint.loadTokenizer(start);
        try (ScalarHeadModel model = Checkpoint.loadScalarHead(start, Device.cpu())) {
            if (newest.isEmpty()) {
                InstructableRewardModel.initialiseHeadIfAbsent(start, model, config.seed());
            }
            InstructableRewardModel rm = new InstructableRewardModel(model, tokenizer, config.limits());
            RewardModelTrainer trainer = new RewardModelTrainer(rm, config, labelling);
            int total = trainer.totalSteps(train.size());
            long[] last = {newest.map(Artifact::id).orElse(-1L)};
            trainer.train(train, resume, (r, steps, state) -> {
                ctx.lineage().recordTrainingMetrics(ctx.executionId(), r.step(), r.metrics());
                Long ckpt = null;
                if (r.step() % config.checkpointEvery() == 0 || r.step() == steps) {
                    ObjectNode meta = JSON.createObjectNode().put("role", "reward-model").put("step", r.step())
                            .put("total_steps", steps).put("final", r.step() == steps);
                    ckpt = Checkpoints.inScratch(dir -> {
                        Checkpoint.save(dir, model, tokenizer.file(), state);
                        return ctx.registerDirectory("checkpoint", dir, meta, inputs).id();
                    });
                    last[0] = ckpt;
                }
                ctx.report("reward-model", r.step(), steps, r.metrics(), ckpt);
            });
            if (last[0] < 0 || total == 0) {
                throw new IllegalStateException("reward-model training ran no step and has no checkpoint");
            }
            PairwiseAccuracy acc = trainer.evaluate(heldOut, config.microBatchPairs() * 2);
            ObjectNode eval = JSON.createObjectNode().put("kind", "reward-model-heldout").put("held_out_pairs", heldOut.size())
                    .put("train_pairs", train.size()).put("steps", total);
            if (acc.total() > 0) {
                eval.put("accuracy", acc.accuracy());
            }
            eval.set("per_principle", JSON.valueToTree(acc.perPrinciple()));
            Artifact evaluation = ctx.register("evaluation", eval.toString().getBytes(StandardCharsets.UTF_8), eval,
                    List.of(new ArtifactEdge(last[0], "model"), new ArtifactEdge(dataset.id(), "data")));
            ctx.report("reward-model-eval", total, total, acc.total() > 0 ? Map.of("heldout_accuracy", acc.accuracy())
                    : Map.of(), last[0]);
            return new Result(last[0], evaluation.id(), total, train.size(), heldOut.size(),
                    acc.total() > 0 ? acc.accuracy() : null,
                    acc.perPrinciple());
        } finally {
            tokenizer.close();
        }
    }
}
