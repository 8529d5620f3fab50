package salmonrun.activities.salmon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import salmonrun.activities.model.Scorer;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.generate.Generation;
import salmonrun.activities.model.generate.Generator;
import salmonrun.activities.model.generate.SamplingParams;
import salmonrun.activities.sandbox.SandboxModel;

/**
 * The sandbox eval's model seam over a checkpoint directory: batched sampling stopped at the end-of-turn
 * marker (which is appended back when reached, so the eval sees that the answer finished), token counts,
 * and judge scores logit(a) - logit(b).
 */
public final class CheckpointSandboxModel implements SandboxModel, AutoCloseable {
    private final ModelCheckpoints.Loaded m;
    private final int batchSize;
    private final int[] probes;

    private CheckpointSandboxModel(ModelCheckpoints.Loaded m, int batchSize) {
        this.m = m;
        this.batchSize = batchSize;
        this.probes = JudgingPhase.probeIds(m);
    }

    /** Loads the decoder and tokenizer of a checkpoint directory. */
    public static CheckpointSandboxModel open(Path dir, int batchSize) {
        var tok = Checkpoint.loadTokenizer(dir);
        ModelCheckpoints.Loaded m;
        try {
            m = new ModelCheckpoints.Loaded(Checkpoint.loadDecoder(dir, ai.djl.Device.cpu()), tok, dir);
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
        try {
            return new CheckpointSandboxModel(m, batchSize);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public List<String> generate(List<String> prompts, int maxNewTokens, double temperature, long seed) {
        SamplingParams params = (temperature == 0 ? SamplingParams.greedy(maxNewTokens)
                : SamplingParams.sample(maxNewTokens, temperature, 1.0)).withStop(List.of(ChatFormat.END_OF_TURN));
        Generator g = new Generator(m.model(), m.tokenizer());
        List<String> out = new ArrayList<>();
        for (int start = 0; start < prompts.size(); start += batchSize) {
            int end = Math.min(prompts.size(), start + batchSize);
            int[][] rows = new int[end - start][];
            long[] seeds = new long[rows.length];
            for (int i = start; i < end; i++) {
                int[] ids = m.tokenizer().encode(prompts.get(i));
                int keep = m.context() - Math.min(maxNewTokens, m.context() / 2);
                rows[i - start] = ids.length > keep ? Arrays.copyOfRange(ids, ids.length - keep, ids.length) : ids;
                seeds[i - start] = seed + i;
            }
            for (Generation gen : g.generate(rows, params, seeds, true)) {
                out.add(gen.text() + ("stop".equals(gen.finishReason()) ? ChatFormat.END_OF_TURN : ""));
            }
        }
        return out;
    }

    @Override
    public int countTokens(String text) {
        return m.count(text);
    }

    @Override
    public int contextLength() {
        return m.context();
    }

    @Override
    public double[] judgeScores(List<String> judgePrompts) {
        List<int[]> ids = new ArrayList<>();
        for (String p : judgePrompts) {
            int[] t = m.tokenizer().encode(p);
            ids.add(t.length > m.context() ? Arrays.copyOfRange(t, t.length - m.context(), t.length) : t);
        }
        return new Scorer(m.model(), batchSize).logitMargins(ids, probes[0], probes[1]);
    }

    @Override
    public double[] continuationLogProbs(List<String> prompts, List<String> continuations) {
        return new Scorer(m.model(), batchSize).summedLogProbs(List.of(m.tokenizer().encodeAll(prompts)),
                List.of(m.tokenizer().encodeAll(continuations)));
    }

    @Override
    public void close() {
        m.close();
    }
}
