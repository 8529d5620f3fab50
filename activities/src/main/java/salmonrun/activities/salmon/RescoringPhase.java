package salmonrun.activities.salmon;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.TextTokenizer;
import salmonrun.activities.principles.PrincipleSet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Counterfactual re-scoring: scores stored responses (a {@code rollouts} or {@code evaluation} artifact) with an
 * existing reward model under another principle set, without generating anything, to preview what a principle
 * change would reward before paying for RL. Registers a {@code rescoring} artifact: one line per response with
 * the old score (when the source has one) and the new one; the metadata holds the means.
 */
public final class RescoringPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RescoringPhase() {}

    /** One re-scored response. {@code oldScore} is NaN when the source had none. */
    public record Row(String instruction, String response, double oldScore, double newScore) {}

    /** The artifact and its means. */
    public record Result(long artifactId, int n, double meanOld, double meanNew, List<Row> rows) {}

    /**
     * Re-scores every response of {@code sourceId} under {@code principles}: intervention principles first, then
     * {@code k} RL principles sampled by weight with the seed (0 = intervention only), as RL would show them.
     */
    public static Result run(PhaseContext ctx, long rewardModelId, long sourceId, PrincipleSet principles, int k,
                             long seed, RewardModelPrompt.Limits limits, int microBatch) {
        Artifact source = ctx.lineage().artifact(sourceId);
        List<String> instructions = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        List<Double> old = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        switch (source.kind()) {
            case "rollouts" -> Rollout.fromJsonl(ctx.read(sourceId, "rollouts")).forEach(r -> {
                instructions.add(r.instruction());
                responses.add(r.response());
                old.add(r.rmScore());
                types.add(r.questionType());
            });
            case "evaluation" -> EvaluationPhase.readSamples(ctx.read(sourceId, "evaluation")).forEach(s -> {
                instructions.add(s.instruction());
                responses.add(s.response());
                old.add(s.rmScore());
                types.add(0);
            });
            default -> throw new IllegalArgumentException("artifact " + sourceId + " is a '" + source.kind()
                    + "'; re-scoring reads 'rollouts' or 'evaluation' artifacts");
        }
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("artifact " + sourceId + " holds no responses to re-score");
        }
        double[] scores;
        var dir = Checkpoints.dir(ctx, rewardModelId);
        try (ScalarHeadModel model = Checkpoint.loadScalarHead(dir, Device.cpu());
             TextTokenizer tok = Checkpoint.loadTokenizer(dir)) {
            InstructableRewardModel rm = new InstructableRewardModel(model, tok, limits);
            scores = EvaluationPhase.rewardScores(rm, principles, instructions, responses, k,
                    PpoConfig.defaults().boosts(), seed, microBatch, types);
        }
        List<Row> rows = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        double sumOld = 0;
        int nOld = 0;
        double sumNew = 0;
        for (int i = 0; i < scores.length; i++) {
            Row r = new Row(instructions.get(i), responses.get(i), old.get(i), scores[i]);
            rows.add(r);
            ObjectNode o = JSON.createObjectNode().put("instruction", r.instruction()).put("response", r.response())
                    .put("new_score", r.newScore());
            if (Double.isNaN(r.oldScore())) {
                o.putNull("old_score");
            } else {
                o.put("old_score", r.oldScore());
                sumOld += r.oldScore();
                nOld++;
            }
            sumNew += r.newScore();
            out.writeBytes(o.toString().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        double meanOld = nOld == 0 ? Double.NaN : sumOld / nOld;
        double meanNew = sumNew / scores.length;
        ObjectNode meta = JSON.createObjectNode().put("n", scores.length).put("mean_new", meanNew)
                .put("principle_set", principles.name()).put("principles_per_prompt", k).put("seed", seed);
        if (nOld > 0) {
            meta.put("mean_old", meanOld);
        }
        if (principles.contentHash() != null) {
            meta.put("principle_set_hash", principles.contentHash());
        }
        Artifact a = ctx.register("rescoring", out.toByteArray(), meta,
                List.of(new ArtifactEdge(rewardModelId, "reward-model"), new ArtifactEdge(sourceId, "responses")));
        ctx.report("rescore", scores.length, scores.length, java.util.Map.of("mean_new", meanNew), null);
        return new Result(a.id(), scores.length, meanOld, meanNew, rows);
    }
}
