package salmonrun.activities.salmon;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference's self-alignment output filters, generalised to any assistant name and exemplar set:
 * (1) keep outputs starting with {@link SelfAlignPrompt#THOUGHTS_PREFIX} that contain the answer marker
 * and take the answer after it; (2) drop repeated sentences; (3) cut at the next user turn (a finished
 * answer, dropped if shorter than {@code minFinishedChars}) or else drop the trailing partial word (kept
 * unfinished); (4) drop copies of the instruction; (5) drop answers leaking exemplar content. Not
 * thread-safe: it counts what each filter did.
 */
public final class SelfAlignFilter {
    /** Why an output was dropped. */
    public enum Drop { MISSING_PREFIX, MISSING_ANSWER_MARKER, EMPTY, SHORT_FINISHED, UNFINISHED, INSTRUCTION_COPY,
        EXEMPLAR_LEAK }

    /** Filter settings; the reference used minFinishedChars 160, keepUnfinished true, copy check on. */
    public record Config(int minFinishedChars, boolean keepUnfinished, int minCopyWords) {
        /** Settings for the short answers of the sandbox world. */
        public static Config defaults() {
            return new Config(8, true, 4);
        }
    }

    /** A kept answer; {@code finished} when it ended with the end-of-turn marker. */
    public record Kept(String response, boolean finished) {}

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])[ \\t]+|\\n+");

    private final String assistant;
    private final ExemplarBlacklist blacklist;
    private final Config config;
    private final Map<Drop, Integer> drops = new EnumMap<>(Drop.class);
    private final Map<String, Integer> leakTerms = new java.util.TreeMap<>();
    private int seen;
    private int kept;
    private int dedupChanged;

    public SelfAlignFilter(String assistant, ExemplarBlacklist blacklist, Config config) {
        this.assistant = assistant;
        this.blacklist = blacklist;
        this.config = config;
        for (Drop d : Drop.values()) {
            drops.put(d, 0);
        }
    }

    /** Filters one generated continuation of a self-align prompt; null when dropped. */
    public Kept apply(String userTurn, String output) {
        seen++;
        String text = output.strip();
        if (!text.startsWith(SelfAlignPrompt.THOUGHTS_PREFIX)) {
            return drop(Drop.MISSING_PREFIX);
        }
        String marker = "\n\n### " + assistant + "\n";
        int at = text.indexOf(marker);
        if (at < 0) {
            return drop(Drop.MISSING_ANSWER_MARKER);
        }
        String answer = text.substring(at + marker.length());
        boolean finished;
        int end = answer.indexOf(ChatFormat.END_OF_TURN);
        if (end >= 0) {
            answer = answer.substring(0, end).strip();
            finished = true;
        } else {
            answer = dropPartialWord(answer.strip());
            finished = false;
        }
        String deduped = dedupSentences(answer);
        if (!deduped.equals(answer)) {
            dedupChanged++;
            answer = deduped;
        }
        if (answer.isBlank()) {
            return drop(Drop.EMPTY);
        }
        if (finished && answer.length() < config.minFinishedChars()) {
            return drop(Drop.SHORT_FINISHED);
        }
        if (!finished && !config.keepUnfinished()) {
            return drop(Drop.UNFINISHED);
        }
        if (copiesInstruction(userTurn, answer)) {
            return drop(Drop.INSTRUCTION_COPY);
        }
        String leak = blacklist.leak(userTurn, answer);
        if (leak != null) {
            leakTerms.merge(leak, 1, Integer::sum);
            return drop(Drop.EXEMPLAR_LEAK);
        }
        kept++;
        return new Kept(answer, finished);
    }

    /** How many outputs each filter dropped. */
    public Map<Drop, Integer> drops() {
        return Map.copyOf(drops);
    }

    /** Which blacklist terms caused drops, and how often: lets an operator see a too-eager blacklist. */
    public Map<String, Integer> leakTerms() {
        return Map.copyOf(leakTerms);
    }

    public int seen() {
        return seen;
    }

    public int kept() {
        return kept;
    }

    /** How many kept-or-dropped answers had repeated sentences removed. */
    public int dedupChanged() {
        return dedupChanged;
    }

    private Kept drop(Drop d) {
        drops.merge(d, 1, Integer::sum);
        return null;
    }

    private boolean copiesInstruction(String userTurn, String answer) {
        String a = normalise(answer);
        String i = normalise(userTurn);
        if (a.equals(i)) {
            return true;
        }
        return i.split(" ").length >= config.minCopyWords() && a.contains(i);
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    /** Drops the trailing partial word of an unfinished answer (generation stopped mid-word). */
    static String dropPartialWord(String s) {
        int cut = Math.max(s.lastIndexOf(' '), s.lastIndexOf('\n'));
        return cut < 0 ? s : s.substring(0, cut).stripTrailing();
    }

    /** Removes every sentence that repeats an earlier one (exact after trimming), keeping the separators of the rest. */
    static String dedupSentences(String s) {
        Set<String> seenSentences = new HashSet<>();
        StringBuilder out = new StringBuilder();
        Matcher m = SENTENCE_END.matcher(s);
        int start = 0;
        while (true) {
            boolean found = m.find();
            int end = found ? m.start() : s.length();
            String sentence = s.substring(start, end);
            String sep = found ? m.group() : "";
            String key = sentence.strip();
            if (key.isEmpty() || seenSentences.add(key)) {
                out.append(sentence).append(sep);
            }
            if (!found) {
                break;
            }
            start = m.end();
        }
        return out.toString().strip();
    }
}
