package salmonrun.activities.salmon;

import java.util.EnumMap;
import java.util.Map;

/**
 * The dominant Unicode script of a text: a dependency-free stand-in for the reference's fastText language
 * check, which catches answers in another writing system than the instruction (e.g. Han vs Latin) but
 * cannot tell two languages of one script apart.
 */
final class Scripts {
    private Scripts() {}

    /** The most frequent script among the letters, or null when there are none. */
    static Character.UnicodeScript dominant(String text) {
        Map<Character.UnicodeScript, Integer> counts = new EnumMap<>(Character.UnicodeScript.class);
        text.codePoints().filter(Character::isLetter).forEach(c -> {
            Character.UnicodeScript s = Character.UnicodeScript.of(c);
            if (s != Character.UnicodeScript.COMMON && s != Character.UnicodeScript.INHERITED) {
                counts.merge(s, 1, Integer::sum);
            }
        });
        Character.UnicodeScript best = null;
        int n = 0;
        for (var e : counts.entrySet()) { // EnumMap iterates in enum order: ties resolve the same way every time
            if (e.getValue() > n) {
                best = e.getKey();
                n = e.getValue();
            }
        }
        return best;
    }

    /** True when both texts have letters and their dominant scripts differ. */
    static boolean mismatch(Character.UnicodeScript instruction, String output) {
        Character.UnicodeScript o = dominant(output);
        return instruction != null && o != null && instruction != o;
    }
}
