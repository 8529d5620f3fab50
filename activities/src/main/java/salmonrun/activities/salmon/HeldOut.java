package salmonrun.activities.salmon;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic held-out membership by instruction, so the several principle-sampling passes over one pair never
 * straddle the split (the same instruction is always on the same side).
 */
public final class HeldOut {
    private HeldOut() {}

    /** Whether an instruction is held out for a fraction in [0,1) and a seed. */
    public static boolean contains(String instruction, double fraction, long seed) {
        if (fraction <= 0) {
            return false;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((seed + "\u0000" + instruction).getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0xffL) << 16) | ((h[1] & 0xffL) << 8) | (h[2] & 0xffL);
            return v < fraction * (1 << 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
