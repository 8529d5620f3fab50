package salmonrun.activities.salmon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import salmonrun.activities.model.AttentionMasks;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.Losses;
import salmonrun.activities.model.ScalarHeadModel;

import java.util.Arrays;
import java.util.List;

/**
 * Queries left-padded to Q columns followed by responses right-padded to R columns: [B, Q+R] token ids. The
 * policy's log-prob of response token t and the value model's estimate before it are both read from position
 * Q-1+t (the position that predicts it), as the reference does. Right padding sits after every real token, so
 * causal attention keeps it out of real positions; the response mask marks the real response tokens.
 */
public final class QueryResponseBatch {
    private final int[][] queries;
    private final int[][] responses;
    private final int q;
    private final int r;
    private final int padId;

    public QueryResponseBatch(List<int[]> queries, List<int[]> responses, int padId) {
        if (queries.size() != responses.size() || queries.isEmpty()) {
            throw new IllegalArgumentException("need one response per query and a non-empty batch");
        }
        this.queries = queries.toArray(new int[0][]);
        this.responses = responses.toArray(new int[0][]);
        this.q = queries.stream().mapToInt(a -> a.length).max().orElseThrow();
        this.r = Math.max(1, responses.stream().mapToInt(a -> a.length).max().orElseThrow());
        this.padId = padId;
        for (int b = 0; b < this.queries.length; b++) {
            if (this.queries[b].length == 0) {
                throw new IllegalArgumentException("query " + b + " is empty");
            }
            if (this.responses[b].length == 0) {
                throw new IllegalArgumentException("response " + b + " is empty: sample at least one token");
            }
        }
    }

    public int size() {
        return queries.length;
    }

    /** Response columns R. */
    public int responseLength() {
        return r;
    }

    /** Real tokens of response b. */
    public int responseLength(int b) {
        return responses[b].length;
    }

    /** Left padding of each query. */
    public int[] padding() {
        int[] p = new int[queries.length];
        for (int b = 0; b < p.length; b++) {
            p[b] = q - queries[b].length;
        }
        return p;
    }

    /** Tokens [B, Q+R] int64. */
    public NDArray tokens(NDManager m) {
        long[] ids = new long[queries.length * (q + r)];
        Arrays.fill(ids, padId);
        for (int b = 0; b < queries.length; b++) {
            int row = b * (q + r);
            int pad = q - queries[b].length;
            for (int i = 0; i < queries[b].length; i++) {
                ids[row + pad + i] = queries[b][i];
            }
            for (int i = 0; i < responses[b].length; i++) {
                ids[row + q + i] = responses[b][i];
            }
        }
        return m.create(ids, new Shape(queries.length, q + r));
    }

    /** Response token ids [B, R] int64 (pad where absent). */
    public NDArray responseTokens(NDManager m) {
        long[] ids = new long[queries.length * r];
        Arrays.fill(ids, padId);
        for (int b = 0; b < queries.length; b++) {
            for (int i = 0; i < responses[b].length; i++) {
                ids[b * r + i] = responses[b][i];
            }
        }
        return m.create(ids, new Shape(queries.length, r));
    }

    /** 1 for real response tokens, 0 for padding: [B, R] float. */
    public NDArray responseMask(NDManager m) {
        float[] mask = new float[queries.length * r];
        for (int b = 0; b < queries.length; b++) {
            Arrays.fill(mask, b * r, b * r + responses[b].length, 1f);
        }
        return m.create(mask, new Shape(queries.length, r));
    }

    /** Number of real response tokens in the batch. */
    public int realTokens() {
        return Arrays.stream(responses).mapToInt(a -> a.length).sum();
    }

    /** Final hidden states [B, Q+R, H] of a decoder over this batch (left padding hidden from attention). */
    public NDArray hidden(LlamaModel model, NDManager m) {
        int[] pad = padding();
        NDArray tokens = tokens(m);
        NDArray positions = AttentionMasks.positions(m, pad, q + r, 0);
        NDArray bias = AttentionMasks.leftPadded(m, pad, q + r, 0);
        return model.hidden(tokens, positions, bias, null);
    }

    /** The [B, R, ...] slice of positions Q-1 .. Q+R-2 (those predicting the response tokens). */
    public NDArray predictingResponse(NDArray perPosition) {
        return perPosition.get(new NDIndex(":, {}:{}", q - 1, q - 1 + r));
    }

    /** Response token log-probs under {@code model} with logits divided by temperature: [B, R] float. */
    public NDArray logProbs(LlamaModel model, NDManager m, float temperature) {
        NDArray logits = model.logits(predictingResponse(hidden(model, m)));   // [B,R,V]
        return Losses.tokenLogProbs(logits.div(temperature), responseTokens(m));
    }

    /** Value estimates before each response token: [B, R] float. */
    public NDArray values(ScalarHeadModel model, NDManager m) {
        return model.values(predictingResponse(hidden(model, m)));
    }

    /** Rows of a [B, R] float array as host arrays trimmed to each response's real length. */
    public float[][] trimmed(NDArray perToken) {
        float[] flat = perToken.toType(DataType.FLOAT32, false).toFloatArray();
        float[][] out = new float[queries.length][];
        for (int b = 0; b < queries.length; b++) {
            out[b] = Arrays.copyOfRange(flat, b * r, b * r + responses[b].length);
        }
        return out;
    }
}
