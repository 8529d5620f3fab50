package salmonrun.activities.sandbox;

/** A graded attribute's value: established true, established false, or not determinable from the text. */
public enum Verdict {
    TRUE, FALSE, UNKNOWN;

    public static Verdict of(boolean b) {
        return b ? TRUE : FALSE;
    }
}
