package salmonrun.activities.salmon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import salmonrun.activities.model.AttentionMasks;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The instructable reward model: a scalar-head decoder reading prompt format 4 ({@link RewardModelPrompt}),
 * left-padded, the reward taken at the last column (the last token of the fixed tail). Asserts one scalar per
 * sequence: the reference's released code returned [seq_len] instead (SALMON PR #3).
 */
public final class InstructableRewardModel {
    private final ScalarHeadModel model;
    private final TextTokenizer tokenizer;
    private final RewardModelPrompt.Limits limits;
    private final int padId;

    public InstructableRewardModel(ScalarHeadModel model, TextTokenizer tokenizer, RewardModelPrompt.Limits limits) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.limits = limits;
        this.padId = padIdOf(tokenizer, model);
    }

    /** The pad token: the config's pad id, else the tokenizer's end-of-text token, else 0 (always masked out). */
    static int padIdOf(TextTokenizer tokenizer, salmonrun.activities.model.LlamaModel model) {
        Integer pad = model.config().padTokenId();
        if (pad != null) {
            return pad;
        }
        return tokenizer.tokenId("<|endoftext|>").orElse(0);
    }

    /**
     * Gives a model loaded from a plain decoder checkpoint (no {@code score.weight}, so the engine made a zero head)
     * a random head, U(-1/sqrt(H), 1/sqrt(H)) like a fresh {@code nn.Linear}, as the reference's reward head. A zero
     * head would pass no gradient to the decoder on the first steps and score every answer alike. Checkpoints
     * saved with a head (architecture {@code LlamaForSequenceClassification}) are left as they are.
     *
     * @return whether the head was initialised
     */
    public static boolean initialiseHeadIfAbsent(java.nio.file.Path checkpointDir, ScalarHeadModel model, long seed) {
        var arch = salmonrun.activities.model.checkpoint.Checkpoint.readConfig(checkpointDir).architectures();
        if (arch != null && arch.contains(ScalarHeadModel.ARCHITECTURE)) {
            return false;
        }
        int h = model.config().hiddenSize();
        float bound = (float) (1.0 / Math.sqrt(h));
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] w = new float[h];
        for (int i = 0; i < h; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        model.parameters().put(new salmonrun.activities.model.HostTensor(ScalarHeadModel.HEAD, new long[] {1, h}, w));
        return true;
    }

    /** One reward-model input: the response, the bare instruction, and the criterion lines in order. */
    public record Input(String response, String instruction, List<String> criteria) {
        public Input {
            criteria = List.copyOf(criteria);
        }
    }

    public ScalarHeadModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public RewardModelPrompt.Limits limits() {
        return limits;
    }

    /** Token ids of one input, truncated within the limits. */
    public int[] encode(Input in) {
        return RewardModelPrompt.encode(tokenizer::encode, in.response(), in.instruction(), in.criteria(), limits).ids();
    }

    /** Differentiable rewards [B] of encoded sequences (build them in {@code m}). */
    public NDArray rewards(NDManager m, List<int[]> sequences) {
        RewardModelPrompt.PaddedBatch batch = RewardModelPrompt.leftPad(sequences, padId);
        int b = batch.size();
        int t = batch.length();
        long[] ids = new long[b * t];
        int[] padding = new int[b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = batch.ids()[i][j];
            }
            padding[i] = t - sequences.get(i).length;
        }
        NDArray tokens = m.create(ids, new Shape(b, t));
        NDArray hidden = model.hidden(tokens, AttentionMasks.positions(m, padding, t, 0),
                AttentionMasks.leftPadded(m, padding, t, 0), null);                  // [B,T,H]
        NDArray last = hidden.get(new NDIndex(":, -1:"));                             // [B,1,H]
        NDArray rewards = model.values(last).reshape(b);                              // [B]
        if (rewards.getShape().dimension() != 1 || rewards.getShape().get(0) != b) {
            throw new IllegalStateException("reward model returned shape " + rewards.getShape()
                    + " for " + b + " sequences; expected one scalar per sequence");
        }
        return rewards;
    }

    /** Rewards of many inputs, scored in micro-batches without gradients. */
    public double[] score(List<Input> inputs, int microBatch) {
        double[] out = new double[inputs.size()];
        for (int start = 0; start < inputs.size(); start += microBatch) {
            List<int[]> seqs = new ArrayList<>();
            for (int i = start; i < Math.min(inputs.size(), start + microBatch); i++) {
                seqs.add(encode(inputs.get(i)));
            }
            try (salmonrun.activities.model.NoGrad ignored = new salmonrun.activities.model.NoGrad();
                 NDManager m = model.manager().newSubManager()) {
                float[] r = rewards(m, seqs).toFloatArray();
                if (r.length != seqs.size()) {
                    throw new IllegalStateException("reward model returned " + r.length + " scores for "
                            + seqs.size() + " sequences");
                }
                for (int i = 0; i < r.length; i++) {
                    out[start + i] = r[i];
                }
            }
        }
        return out;
    }
}
