package salmonrun.activities.principles;

/** An in-context demonstration for self-alignment: the instruction, the assistant's internal thoughts, the answer. */
public record Exemplar(String instruction, String internalThoughts, String response) {

    /** Every exemplar's internal thoughts start with this; the self-align filter keys on it (prompt-formats.md). */
    public static final String THOUGHTS_PREFIX = "I am a careful, honest and helpful assistant.";
}
