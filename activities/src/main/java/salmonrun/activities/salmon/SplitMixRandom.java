package salmonrun.activities.salmon;

/**
 * A small deterministic random generator (SplitMix64) whose whole state is one long, so a checkpoint can
 * store it and a resumed run draws exactly the numbers the uninterrupted run would have drawn.
 * Not thread-safe.
 */
public final class SplitMixRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    public SplitMixRandom(long seed) {
        this.state = seed;
    }

    /** The generator's state; {@code new SplitMixRandom(state())} continues the same sequence. */
    public long state() {
        return state;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += GOLDEN);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
