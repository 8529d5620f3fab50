package salmonrun.activities.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GPT-2 byte-level conventions: the pre-tokenizer regex and the byte -> printable character table. */
public final class ByteLevel {
    /** The pre-tokenizer split used by HF's ByteLevel pre-tokenizer with use_regex=true. */
    static final Pattern SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static final char[] BYTE_TO_CHAR = table();

    private ByteLevel() {
    }

    private static char[] table() {
        char[] t = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (printable[b]) {
                t[b] = (char) b;
            } else {
                t[b] = (char) (256 + n++);
            }
        }
        return t;
    }

    /** The printable character standing for byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xff];
    }

    /** Splits text into pre-tokens and maps each to its byte-level string. */
    public static List<String> preTokenize(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = SPLIT.matcher(text);
        while (m.find()) {
            out.add(toByteChars(m.group()));
        }
        return out;
    }

    static String toByteChars(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(charOf(b));
        }
        return sb.toString();
    }
}
