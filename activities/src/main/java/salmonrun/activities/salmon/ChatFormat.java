package salmonrun.activities.salmon;

/**
 * Prompt format 1 (docs/prompt-formats.md): the chat transcript used for SFT, inference, response pairs
 * and the PPO policy query. The prompt ends with {@code ### {assistant}}; the target is
 * {@code "\n" + response + "\n\n### User"} with no EOS, the end-of-turn marker teaching the model to stop.
 */
public final class ChatFormat {
    /** The default assistant name. */
    public static final String DEFAULT_ASSISTANT = "Salmon";
    /** The end-of-turn marker: a finished response is followed by it. */
    public static final String END_OF_TURN = "\n\n### User";
    /** Short system prompt, used for even example ids during engraving and for inference. */
    public static final String CONCISE_SYSTEM =
            "{assistant} is a careful, honest and helpful assistant. It answers briefly and says so when it does not know.";
    /** Longer system prompt, used for odd example ids during engraving. */
    public static final String STANDARD_SYSTEM =
            "{assistant} is an assistant that answers a user's requests helpfully, honestly and harmlessly. "
                    + "It gives correct, focused answers, refuses harmful requests politely and admits what it does not know.";

    private final String assistant;
    private final String concise;
    private final String standard;

    public ChatFormat(String assistant) {
        this(assistant, CONCISE_SYSTEM, STANDARD_SYSTEM);
    }

    /** A format with its own concise and standard system prompts ({@code {assistant}} is replaced by the name). */
    public ChatFormat(String assistant, String conciseSystem, String standardSystem) {
        if (assistant == null || assistant.isBlank() || assistant.contains("\n")) {
            throw new IllegalArgumentException("assistant name must be a non-blank single line: " + assistant);
        }
        if (conciseSystem == null || conciseSystem.isBlank() || standardSystem == null || standardSystem.isBlank()) {
            throw new IllegalArgumentException("system prompts must not be blank");
        }
        this.assistant = assistant;
        this.concise = conciseSystem.replace("{assistant}", assistant);
        this.standard = standardSystem.replace("{assistant}", assistant);
    }

    /**
     * The format for an assistant name and an optional pair of system prompts (concise, standard); an empty
     * list means the defaults.
     */
    public static ChatFormat of(String assistant, java.util.List<String> systemPrompts) {
        if (systemPrompts.isEmpty()) {
            return new ChatFormat(assistant);
        }
        if (systemPrompts.size() != 2) {
            throw new IllegalArgumentException("give two system prompts (concise, standard), got " + systemPrompts.size());
        }
        return new ChatFormat(assistant, systemPrompts.get(0), systemPrompts.get(1));
    }

    /** The format with the default assistant name, Salmon. */
    public static ChatFormat standard() {
        return new ChatFormat(DEFAULT_ASSISTANT);
    }

    public String assistant() {
        return assistant;
    }

    /** The system prompt for an engraving example: concise for even ids, standard for odd (the reference's alternation). */
    public String systemPromptFor(long exampleId) {
        return Math.floorMod(exampleId, 2) == 0 ? conciseSystemPrompt() : standardSystemPrompt();
    }

    /** The concise system prompt: inference and response sampling use it. */
    public String conciseSystemPrompt() {
        return concise;
    }

    public String standardSystemPrompt() {
        return standard;
    }

    /** Everything up to and including {@code ### {assistant}}: what the policy is conditioned on. */
    public String prompt(String systemPrompt, String userTurn) {
        return "# " + assistant + "\n\n## System Overview\n\n" + systemPrompt + "\n\n## User Conversation\n\n### User\n"
                + userTurn + "\n\n### " + assistant;
    }

    /** The training target for a response: newline, response, and the end-of-turn marker only if it finished. */
    public String target(String response, boolean finished) {
        return "\n" + response + (finished ? END_OF_TURN : "");
    }

    /** Cuts a sampled continuation of {@link #prompt} at the first end-of-turn marker. */
    public Reply cut(String continuation) {
        String text = continuation.startsWith("\n") ? continuation.substring(1) : continuation;
        int end = text.indexOf(END_OF_TURN);
        if (end < 0) {
            // a response that ends exactly at "### User" after one newline is also finished
            int alt = text.indexOf("\n### User");
            if (alt >= 0) {
                return new Reply(text.substring(0, alt).strip(), true);
            }
            return new Reply(text.strip(), false);
        }
        return new Reply(text.substring(0, end).strip(), true);
    }

    /** A response cut out of a sample; {@code finished} is false when the end-of-turn marker never came. */
    public record Reply(String text, boolean finished) {}
}
