package salmonrun.activities.lineage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 helpers: lower-case hex, the form stored everywhere in the lineage schema. */
public final class Hashes {
    private static final HexFormat HEX = HexFormat.of();

    private Hashes() {}

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Lower-case hex sha256 of the bytes. */
    public static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    /** Lower-case hex sha256 of the UTF-8 encoding of the text. */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex of a finished digest. */
    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    /** Whether the text is a lower-case hex sha256. */
    public static boolean isSha256(String s) {
        return s != null && s.matches("[0-9a-f]{64}");
    }

    /** Throws IllegalArgumentException naming the field unless the text is a lower-case hex sha256. */
    public static String requireSha256(String s, String what) {
        if (!isSha256(s)) {
            throw new IllegalArgumentException(what + " must be 64 lower-case hex characters (sha256), got: " + s);
        }
        return s;
    }
}
