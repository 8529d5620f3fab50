package salmonrun.activities.salmon;

/**
 * Prompt format 3 (docs/prompt-formats.md): the principle-wise judge prompt. It ends inside
 * {@code Output (}, so the next token names the preferred output; the score is logit(a) - logit(b).
 */
public final class JudgePrompt {
    /** Encoding this and taking the last token id gives the id of "a". */
    public static final String PROBE_A = "Output (a";
    /** Encoding this and taking the last token id gives the id of "b". */
    public static final String PROBE_B = "Output (b";

    private final String assistant;

    public JudgePrompt(String assistant) {
        this.assistant = assistant;
    }

    /** The judge input for one order of a pair under one criterion ({@code name: definition}). */
    public String render(String userTurn, String outputA, String outputB, String principleName, String criterionText) {
        return "# " + assistant + "\n\n## System Overview\n\n" + assistant
                + " compares two answers to the same request against one stated criterion.\n\n"
                + "## User Conversation\n\n### User\nWhich output better satisfies the criterion?\n\n"
                + "Instruction: " + userTurn + "\n\nOutput (a): " + outputA + "\n\nOutput (b): " + outputB
                + "\n\nCriterion: " + principleName + ": " + criterionText.strip() + "\n\n### " + assistant
                + "\nAfter reading both outputs against the criterion " + principleName
                + ", the better output is Output (";
    }
}
