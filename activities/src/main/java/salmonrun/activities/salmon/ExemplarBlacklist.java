package salmonrun.activities.salmon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import salmonrun.activities.principles.Exemplar;

/**
 * Terms whose presence in a self-aligned answer means the base model copied an exemplar instead of
 * answering the instruction, derived from the exemplar set rather than hard-coded as in the reference
 * ("president", "alpaca", "birthday party" ...).
 *
 * <ul>
 *   <li><b>Topic words</b>: words of an exemplar's instruction that occur in no other exemplar, are at
 *       least 4 characters long (2 for CJK), and occur in fewer than {@code maxBackgroundFraction} of the
 *       background texts (the pool's instructions): the subject of that exemplar, not common language.</li>
 *   <li><b>Copied phrases</b>: word n-grams of an exemplar's response found in no other exemplar that
 *       contain a topic word or a number unique to that exemplar. Imitating the exemplars' style
 *       ("I am sorry, I do not know ...") is the point of self-alignment, so only phrases carrying
 *       exemplar-specific content count.</li>
 *   <li><b>Format markers</b>: {@code (internal thoughts)} and {@code ### {assistant}} inside an answer.</li>
 * </ul>
 * A term also present in the instruction being answered never counts: asking about the same topic is fine.
 */
public final class ExemplarBlacklist {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private final Set<String> topicWords;
    private final Set<String> phrases;
    private final List<String> markers;

    public ExemplarBlacklist(Set<String> topicWords, Set<String> phrases, List<String> markers) {
        this.topicWords = Set.copyOf(new TreeSet<>(topicWords));
        this.phrases = Set.copyOf(phrases);
        this.markers = List.copyOf(markers);
    }

    /** Derives the blacklist; {@code phraseWords} 0 disables copied-phrase detection. */
    public static ExemplarBlacklist derive(List<Exemplar> exemplars, List<String> background, String assistant,
            double maxBackgroundFraction, int phraseWords) {
        Map<String, Integer> exemplarCount = new HashMap<>();
        for (Exemplar e : exemplars) {
            Set<String> all = new HashSet<>(words(e.instruction()));
            all.addAll(words(e.response()));
            all.addAll(words(e.internalThoughts()));
            all.forEach(w -> exemplarCount.merge(w, 1, Integer::sum));
        }
        Map<String, Integer> backgroundCount = new HashMap<>();
        for (String text : background) {
            new HashSet<>(words(text)).forEach(w -> backgroundCount.merge(w, 1, Integer::sum));
        }
        int bg = Math.max(1, background.size());
        java.util.function.Predicate<String> distinctive = w -> exemplarCount.getOrDefault(w, 0) == 1
                && longEnough(w) && backgroundCount.getOrDefault(w, 0) < maxBackgroundFraction * bg;

        Set<String> topics = new TreeSet<>();
        for (Exemplar e : exemplars) {
            for (String w : words(e.instruction())) {
                if (distinctive.test(w)) {
                    topics.add(w);
                }
            }
        }
        // anchors: what makes a phrase content rather than style — the exemplar's topic words, and
        // numbers found in a single exemplar (the reference blacklisted the "1, 1, 4" of its sort example)
        Set<String> anchors = new HashSet<>(topics);
        exemplarCount.forEach((w, n) -> {
            if (n == 1 && w.chars().anyMatch(Character::isDigit) && backgroundCount.getOrDefault(w, 0) == 0) {
                anchors.add(w);
            }
        });
        Set<String> phrases = new TreeSet<>();
        if (phraseWords > 0) {
            Map<String, Integer> phraseExemplars = new HashMap<>();
            for (Exemplar e : exemplars) {
                Set<String> grams = new HashSet<>(ngrams(words(e.response()), phraseWords));
                grams.addAll(ngrams(words(e.instruction()), phraseWords));
                grams.forEach(g -> phraseExemplars.merge(g, 1, Integer::sum));
            }
            for (Exemplar e : exemplars) {
                for (String g : ngrams(words(e.response()), phraseWords)) {
                    if (phraseExemplars.get(g) == 1 && List.of(g.split(" ")).stream().anyMatch(anchors::contains)) {
                        phrases.add(g);
                    }
                }
            }
        }
        return new ExemplarBlacklist(topics, phrases,
                List.of("(internal thoughts)", "### " + assistant));
    }

    public Set<String> topicWords() {
        return topicWords;
    }

    public Set<String> phrases() {
        return phrases;
    }

    public List<String> markers() {
        return markers;
    }

    /** The first blacklisted term found in the answer and absent from the instruction, or null if none. */
    public String leak(String userTurn, String answer) {
        for (String m : markers) {
            if (answer.contains(m) && !userTurn.contains(m)) {
                return m;
            }
        }
        List<String> answerWords = words(answer);
        Set<String> instructionWords = new HashSet<>(words(userTurn));
        for (String w : new TreeSet<>(answerWords)) {
            if (topicWords.contains(w) && !instructionWords.contains(w)) {
                return w;
            }
        }
        if (!phrases.isEmpty()) {
            String joined = " " + String.join(" ", answerWords) + " ";
            String instr = " " + String.join(" ", words(userTurn)) + " ";
            for (String p : new TreeSet<>(phrases)) {
                if (joined.contains(" " + p + " ") && !instr.contains(" " + p + " ")) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Lower-cased words (letters and digits) of a text. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static List<String> ngrams(List<String> words, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + n <= words.size(); i++) {
            out.add(String.join(" ", words.subList(i, i + n)));
        }
        return out;
    }

    private static boolean longEnough(String w) {
        boolean cjk = w.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN
                || Character.UnicodeScript.of(c) == Character.UnicodeScript.HIRAGANA
                || Character.UnicodeScript.of(c) == Character.UnicodeScript.KATAKANA
                || Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL);
        return cjk ? w.codePointCount(0, w.length()) >= 2 : w.length() >= 4;
    }
}
