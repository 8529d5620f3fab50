package salmonrun.activities.model.train;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Pretraining data: documents concatenated into one token stream (each followed by the end-of-text id), and
 * every micro-batch is {@code rows} windows of {@code length}+1 tokens at seeded random offsets; loss everywhere.
 * {@link #documentAligned} starts every window at a document boundary, so no token is trained without the start of
 * its own document (a verdict that cannot see the answers it compares teaches only noise).
 */
public final class PackedBatches implements BatchSource {
    private final int[] stream;
    private final int rows;
    private final int length;
    private final long seed;
    /** Allowed window starts, or null for any offset. */
    private final int[] starts;

    /** Windows at any offset of the stream. */
    public PackedBatches(int[] stream, int rows, int length, long seed) {
        this(stream, rows, length, seed, null);
    }

    private PackedBatches(int[] stream, int rows, int length, long seed, int[] starts) {
        if (stream.length < length + 2) {
            throw new IllegalArgumentException("token stream of " + stream.length + " tokens is shorter than one window of "
                    + (length + 1));
        }
        this.stream = stream;
        this.rows = rows;
        this.length = length;
        this.seed = seed;
        this.starts = starts;
    }

    /**
     * Windows that each start at a document's first token (documents too close to the end of the stream to fill a
     * window are not used as starts); the documents that follow in the window are then whole from their start too.
     */
    public static PackedBatches documentAligned(List<int[]> documents, int endOfText, int rows, int length, long seed) {
        int[] stream = pack(documents, endOfText);
        int[] starts = new int[documents.size()];
        int n = 0;
        int pos = 0;
        for (int[] d : documents) {
            if (pos + length + 1 <= stream.length) {
                starts[n++] = pos;
            }
            pos += d.length + (endOfText >= 0 ? 1 : 0);
        }
        return new PackedBatches(stream, rows, length, seed, java.util.Arrays.copyOf(starts, n));
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
            int start = starts == null ? random.nextInt(stream.length - length) : starts[random.nextInt(starts.length)];
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
