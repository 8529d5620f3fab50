package salmonrun.activities.model.train;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Supervised pairs: each row is prompt + target, truncated to {@code maxLength}+1 tokens by dropping the start of
 * the prompt, right-padded; the loss counts only positions that predict a target token. Examples are visited in a
 * seeded permutation per epoch.
 */
public final class SftBatches implements BatchSource {
    /** One tokenized (prompt, target) pair. */
    public record Example(int[] prompt, int[] target) {
    }

    private final List<Example> examples;
    private final int rows;
    private final int accumulation;
    private final int maxLength;
    private final int padId;
    private final long seed;

    public SftBatches(List<Example> examples, int rows, int accumulation, int maxLength, int padId, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.examples = List.copyOf(examples);
        this.rows = rows;
        this.accumulation = accumulation;
        this.maxLength = maxLength;
        this.padId = padId;
        this.seed = seed;
    }

    /** The example at global position {@code i} of the seeded epoch order. */
    private Example at(long i) {
        int n = examples.size();
        long epoch = i / n;
        int[] order = permutation(n, seed + epoch * 7919);
        return examples.get(order[(int) (i % n)]);
    }

    private int[] cachedOrder;
    private long cachedSeed = Long.MIN_VALUE;

    private synchronized int[] permutation(int n, long s) {
        if (cachedSeed != s) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            SplittableRandom r = new SplittableRandom(s);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            cachedOrder = p;
            cachedSeed = s;
        }
        return cachedOrder;
    }

    @Override
    public Batch batch(long step, int micro) {
        long first = (step * accumulation + micro) * rows;
        int[][] seqs = new int[rows][];
        int[] promptLens = new int[rows];
        int longest = 2;
        for (int r = 0; r < rows; r++) {
            Example e = at(first + r);
            int total = e.prompt().length + e.target().length;
            int drop = Math.max(0, total - (maxLength + 1));
            int promptKept = Math.max(0, e.prompt().length - drop);
            int[] seq = new int[Math.min(total, maxLength + 1)];
            int promptStart = e.prompt().length - promptKept;
            System.arraycopy(e.prompt(), promptStart, seq, 0, promptKept);
            System.arraycopy(e.target(), 0, seq, promptKept, seq.length - promptKept);
            seqs[r] = seq;
            promptLens[r] = promptKept;
            longest = Math.max(longest, seq.length);
        }
        int length = longest - 1;
        long[] inputs = new long[rows * length];
        long[] targets = new long[rows * length];
        float[] mask = new float[rows * length];
        for (int r = 0; r < rows; r++) {
            int[] seq = seqs[r];
            for (int i = 0; i < length; i++) {
                int o = r * length + i;
                inputs[o] = i < seq.length ? seq[i] : padId;
                targets[o] = i + 1 < seq.length ? seq[i + 1] : padId;
                // position i predicts token i+1: counted when that token belongs to the target
                mask[o] = (i + 1 < seq.length && i + 1 >= promptLens[r]) ? 1f : 0f;
            }
        }
        return new Batch(rows, length, inputs, targets, mask);
    }
}
