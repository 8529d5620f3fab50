package salmonrun.activities.model.train;

/**
 * One micro-batch on the host: inputs [B,T], next-token targets [B,T] and a loss mask [B,T] (1 = counted).
 * Rows are right-padded, so plain causal attention is exact for every real token.
 */
public record Batch(int rows, int length, long[] inputs, long[] targets, float[] lossMask) {
    public Batch {
        int n = rows * length;
        if (inputs.length != n || targets.length != n || lossMask.length != n) {
            throw new IllegalArgumentException("batch arrays must hold rows*length = " + n + " values");
        }
    }

    /** Tokens whose loss counts. */
    public int countedTokens() {
        int c = 0;
        for (float m : lossMask) {
            c += m > 0 ? 1 : 0;
        }
        return c;
    }
}
