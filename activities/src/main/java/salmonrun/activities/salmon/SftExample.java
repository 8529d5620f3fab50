package salmonrun.activities.salmon;

/**
 * One principle-engraving training example: the loss covers {@code target} only. The prompt is format 1
 * with a short system prompt alternating by example id and no rules or exemplars; the target is
 * {@code "\n" + response + "\n\n### User"} (marker only when the answer finished; never an EOS).
 */
public record SftExample(long exampleId, String prompt, String target) {

    /** Builds the engraving example for a filtered self-aligned answer. */
    public static SftExample of(ChatFormat format, SelfAlignExample e) {
        return new SftExample(e.exampleId(),
                format.prompt(format.systemPromptFor(e.exampleId()), e.prompt().userTurn()),
                format.target(e.response(), e.finished()));
    }
}
