package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Inference-time reading of a model: per-token log-probabilities of given continuations and next-token logits
 * at the end of a prompt. Rows are right-padded and processed {@code batchSize} at a time.
 */
public final class Scorer {
    private final LlamaModel model;
    private final int batchSize;

    public Scorer(LlamaModel model, int batchSize) {
        this.model = model;
        this.batchSize = Math.max(1, batchSize);
    }

    /**
     * log p(continuation[j] | prompt, continuation[..j]) for every continuation token; result[i] has
     * continuations[i].length entries. Prompts must be non-empty.
     */
    public List<float[]> continuationLogProbs(List<int[]> prompts, List<int[]> continuations) {
        if (prompts.size() != continuations.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + continuations.size() + " continuations");
        }
        List<float[]> out = new ArrayList<>();
        for (int start = 0; start < prompts.size(); start += batchSize) {
            int end = Math.min(prompts.size(), start + batchSize);
            out.addAll(logProbBatch(prompts.subList(start, end), continuations.subList(start, end)));
        }
        return out;
    }

    /** Summed log-probability of each continuation given its prompt (the score of a whole candidate). */
    public double[] summedLogProbs(List<int[]> prompts, List<int[]> continuations) {
        List<float[]> perToken = continuationLogProbs(prompts, continuations);
        double[] out = new double[perToken.size()];
        for (int i = 0; i < out.length; i++) {
            for (float lp : perToken.get(i)) {
                out[i] += lp;
            }
        }
        return out;
    }

    private List<float[]> logProbBatch(List<int[]> prompts, List<int[]> continuations) {
        int rows = prompts.size();
        int length = 1;
        for (int r = 0; r < rows; r++) {
            if (prompts.get(r).length == 0) {
                throw new IllegalArgumentException("prompt " + r + " is empty: the first token has no context");
            }
            length = Math.max(length, prompts.get(r).length + continuations.get(r).length - 1);
        }
        long[] inputs = new long[rows * length];
        long[] targets = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            int[] p = prompts.get(r);
            int[] c = continuations.get(r);
            int n = p.length + c.length;
            for (int i = 0; i + 1 < n; i++) {
                inputs[r * length + i] = i < p.length ? p[i] : c[i - p.length];
                int next = i + 1;
                targets[r * length + i] = next < p.length ? p[next] : c[next - p.length];
            }
        }
        float[] logProbs;
        try (NoGrad ignored = new NoGrad(); NDManager m = model.manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray in = m.create(inputs, new Shape(rows, length));                          // [B,T]
            NDArray tg = m.create(targets, new Shape(rows, length));                         // [B,T]
            logProbs = Losses.tokenLogProbs(model.logits(in, null, null, null), tg).toFloatArray(); // [B*T]
        }
        List<float[]> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            int p = prompts.get(r).length;
            float[] lp = new float[continuations.get(r).length];
            for (int j = 0; j < lp.length; j++) {
                lp[j] = logProbs[r * length + p - 1 + j]; // position p-1+j predicts continuation token j
            }
            out.add(lp);
        }
        return out;
    }

    /** logit(first) - logit(second) of the token after each prompt: the judge's score for a pair of probe tokens. */
    public double[] logitMargins(List<int[]> prompts, int first, int second) {
        List<float[]> logits = nextTokenLogits(prompts);
        double[] out = new double[logits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (double) logits.get(i)[first] - logits.get(i)[second];
        }
        return out;
    }

    /** Logits [V] of the token after each prompt (the judge's read-out). */
    public List<float[]> nextTokenLogits(List<int[]> prompts) {
        List<float[]> out = new ArrayList<>();
        int vocab = model.config().vocabSize();
        for (int start = 0; start < prompts.size(); start += batchSize) {
            List<int[]> chunk = prompts.subList(start, Math.min(prompts.size(), start + batchSize));
            int rows = chunk.size();
            int length = chunk.stream().mapToInt(a -> a.length).max().orElse(1);
            long[] inputs = new long[rows * length];
            long[] lastIndex = new long[rows];
            for (int r = 0; r < rows; r++) {
                int[] p = chunk.get(r);
                if (p.length == 0) {
                    throw new IllegalArgumentException("prompt " + (start + r) + " is empty");
                }
                for (int i = 0; i < p.length; i++) {
                    inputs[r * length + i] = p[i];
                }
                lastIndex[r] = p.length - 1;
            }
            float[] logits;
            try (NoGrad ignored = new NoGrad(); NDManager m = model.manager().newSubManager(); NDScope scope = new NDScope()) {
                NDArray hidden = model.hidden(m.create(inputs, new Shape(rows, length)), null, null, null); // [B,T,H]
                long h = hidden.getShape().get(2);
                NDArray idx = m.create(lastIndex, new Shape(rows, 1, 1)).repeat(2, h);                  // [B,1,H]
                NDArray last = hidden.gather(idx, 1).squeeze(1);                                        // [B,H]
                logits = model.logits(last).toFloatArray();                                             // [B*V]
            }
            for (int r = 0; r < rows; r++) {
                float[] row = new float[vocab];
                System.arraycopy(logits, r * vocab, row, 0, vocab);
                out.add(row);
            }
        }
        return out;
    }
}
