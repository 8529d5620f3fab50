package salmonrun.activities.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/** Train / validation / test: assigned by a hash of the normalised instruction text, so splits never share an instruction. */
public enum Split {
    TRAIN, VALIDATION, TEST;

    /** The split an instruction text belongs to (80 / 10 / 10 by SHA-256 of the lower-cased, space-collapsed text). */
    public static Split of(String instructionText) {
        String norm = normalise(instructionText);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(norm.getBytes(StandardCharsets.UTF_8));
            int bucket = Math.floorMod(((h[0] & 0xff) << 8) | (h[1] & 0xff), 10);
            return bucket < 8 ? TRAIN : bucket == 8 ? VALIDATION : TEST;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    /** Lower case, single spaces, trimmed: two texts that differ only in case or spacing are the same instruction. */
    public static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    }

    /** Parses {@code train}, {@code validation} / {@code val}, {@code test} (any case). */
    public static Split parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "train" -> TRAIN;
            case "validation", "val" -> VALIDATION;
            case "test" -> TEST;
            default -> throw new IllegalArgumentException("unknown split '" + name + "' (expected train, validation or test)");
        };
    }
}
