package salmonrun.activities.model.train;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Pretraining data: documents concatenated into one token stream (each followed by the end-of-text id), and
 * every micro-batch is {@code rows} windows of {@code length}+1 tokens at seeded random offsets; loss everywhere.
 */
public final class PackedBatches implements BatchSource {
    private final int[] stream;
    private final int rows;
    private final int length;
    private final long seed;

    public PackedBatches(int[] stream, int rows, int length, long seed) {
        if (stream.length < length + 2) {
            throw new IllegalArgumentException("token stream of " + stream.length + " tokens is shorter than one window of "
                    + (length + 1));
        }
        this.stream = stream;
        this.rows = rows;
        this.length = length;
        this.seed = seed;
    }

    /** Concatenates tokenized documents, each followed by {@code endOfText} (skipped when negative). */
    public static int[] pack(List<int[]> documents, int endOfText) {
        int total = 0;
        for (int[] d : documents) {
            total += d.length + (endOfText >= 0 ? 1 : 0);
        }
        int[] out = new int[total];
        int pos = 0;
        for (int[] d : documents) {
            System.arraycopy(d, 0, out, pos, d.length);
            pos += d.length;
            if (endOfText >= 0) {
                out[pos++] = endOfText;
            }
        }
        return out;
    }

    @Override
    public Batch batch(long step, int micro) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 1_000_003L + micro);
        long[] inputs = new long[rows * length];
        long[] targets = new long[rows * length];
        float[] mask = new float[rows * length];
        java.util.Arrays.fill(mask, 1f);
        for (int r = 0; r < rows; r++) {
            int start = random.nextInt(stream.length - length - 1 + 1);
            for (int i = 0; i < length; i++) {
                inputs[r * length + i] = stream[start + i];
                targets[r * length + i] = stream[start + i + 1];
            }
        }
        return new Batch(rows, length, inputs, targets, mask);
    }

    public int tokens() {
        return stream.length;
    }
}
