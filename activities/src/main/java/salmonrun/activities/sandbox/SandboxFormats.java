package salmonrun.activities.sandbox;

import java.util.List;

/**
 * Renders the prompt formats of docs/prompt-formats.md (1: chat, 2: self-alignment, 3: judge) as whole corpus
 * documents (the phases' renderers in {@code salmonrun.activities.salmon} render prompts, not documents with
 * answers and verdicts). SandboxFormatsTest pins every shape to the contract and to the phases' renderers, so the
 * corpus teaches exactly what the phases will show the model.
 */
public final class SandboxFormats {

    /** The assistant's name in every sandbox document. */
    public static final String ASSISTANT = "Salmon";
    /** End-of-turn marker: a response ends where this begins. */
    public static final String END_OF_TURN = "\n\n### User";
    /** Fixed start of every exemplar's internal thoughts (one definition, in {@code Exemplar}). */
    public static final String THOUGHT_PREFIX = salmonrun.activities.principles.Exemplar.THOUGHTS_PREFIX;
    /** Format 3's fixed system overview. */
    public static final String JUDGE_OVERVIEW = ASSISTANT + " compares two answers to the same request against one stated criterion.";

    private SandboxFormats() {}

    /** A rule line's content: name and definition. */
    public record RuleLine(String name, String definition) {}

    /** One in-context example: instruction, internal thoughts, answer. */
    public record Example(String instruction, String thoughts, String response) {}

    /** Format 1 prompt: everything up to and including {@code ### Salmon}. */
    public static String chatPrompt(String systemPrompt, String instruction) {
        return "# " + ASSISTANT + "\n\n## System Overview\n\n" + systemPrompt + "\n\n## User Conversation\n\n### User\n"
                + instruction + "\n\n### " + ASSISTANT;
    }

    /** Format 1 full transcript of one exchange, ending with the end-of-turn marker and a newline. */
    public static String transcript(String systemPrompt, String instruction, String response) {
        return chatPrompt(systemPrompt, instruction) + "\n" + response + END_OF_TURN + "\n";
    }

    /** Format 2 prompt: rules, examples, then the instruction, ending at {@code ### Salmon (internal thoughts)}. */
    public static String selfAlignPrompt(List<RuleLine> rules, List<Example> examples, String instruction) {
        StringBuilder sb = new StringBuilder("# ").append(ASSISTANT).append("\n\n## General Rules\n\n");
        for (int i = 0; i < rules.size(); i++) {
            sb.append(i + 1).append(" (").append(rules.get(i).name()).append("). ").append(rules.get(i).definition()).append('\n');
        }
        sb.append("\n## Examples\n\n");
        for (Example e : examples) {
            sb.append(exampleBlock(e)).append("\n\n");
        }
        sb.append("### User\n").append(instruction).append("\n\n### ").append(ASSISTANT).append(" (internal thoughts)");
        return sb.toString();
    }

    /** One example block of format 2 (no trailing blank line). */
    public static String exampleBlock(Example e) {
        return "### User\n" + e.instruction() + "\n\n### " + ASSISTANT + " (internal thoughts)\n" + e.thoughts()
                + "\n\n### " + ASSISTANT + "\n" + e.response();
    }

    /** The text that separates thoughts from the answer in a format-2 continuation. */
    public static String answerMarker() {
        return "\n\n### " + ASSISTANT + "\n";
    }

    /** Format 3 prompt, ending at "the better output is Output (". */
    public static String judgePrompt(String instruction, String output1, String output2, String criterionName, String criterionText) {
        return "# " + ASSISTANT + "\n\n## System Overview\n\n" + JUDGE_OVERVIEW + "\n\n## User Conversation\n\n### User\n"
                + "Which output better satisfies the criterion?\n\nInstruction: " + instruction + "\n\nOutput (a): " + output1
                + "\n\nOutput (b): " + output2 + "\n\nCriterion: " + criterionName + ": " + criterionText + "\n\n### " + ASSISTANT
                + "\nAfter reading both outputs against the criterion " + criterionName + ", the better output is Output (";
    }

    /** The user's question that opens a follow-up review of the same pair under another criterion. */
    public static final String FOLLOW_UP_QUESTION = "And under another criterion?";

    /**
     * A follow-up turn after a format-3 verdict (which ends with the end-of-turn marker, so the user turn is open):
     * the same pair judged under another criterion, ending at "the better output is Output (" exactly like format 3,
     * at a fraction of the tokens of a full review.
     */
    public static String judgeFollowUp(String criterionName, String criterionText) {
        return FOLLOW_UP_QUESTION + "\n\nCriterion: " + criterionName + ": " + criterionText + "\n\n### " + ASSISTANT
                + "\nAfter reading both outputs against the criterion " + criterionName + ", the better output is Output (";
    }

    /**
     * The answer inside a format-2 continuation (text generated after the self-align prompt), or null when the
     * filter of format 2 rejects it (no thought prefix or no answer marker). Cut at the end-of-turn marker.
     */
    public static String answerFromThoughts(String continuation) {
        String c = continuation.startsWith("\n") ? continuation.substring(1) : continuation;
        int marker = c.indexOf(answerMarker());
        if (!c.startsWith(THOUGHT_PREFIX) || marker < 0) {
            return null;
        }
        return cutResponse(c.substring(marker + answerMarker().length()));
    }

    /** A sampled response cut at the first end-of-turn marker (also at a bare "\n### "), trimmed. */
    public static String cutResponse(String generated) {
        String r = generated.startsWith("\n") ? generated.substring(1) : generated;
        int cut = r.indexOf(END_OF_TURN);
        int alt = r.indexOf("\n### ");
        if (alt >= 0 && (cut < 0 || alt < cut)) {
            cut = alt;
        }
        return (cut >= 0 ? r.substring(0, cut) : r).trim();
    }

    /** Whether a generated continuation reached the end-of-turn marker (a finished answer). */
    public static boolean finished(String generated) {
        return generated.contains(END_OF_TURN) || generated.contains("\n### ");
    }
}
