package salmonrun.activities.salmon;

import java.util.Objects;

/**
 * One pool prompt in the reference pipeline's shape: instruction, optional input, and the RL-pool tags
 * {@code question_type} (0 general, 1 reasoning, 2 red-teaming) and {@code length_bonus}; tags may be null.
 */
public record Prompt(String instruction, String input, Integer questionType, Double lengthBonus) {

    public Prompt {
        Objects.requireNonNull(instruction, "instruction");
        input = input == null ? "" : input;
    }

    /** A prompt with only an instruction. */
    public static Prompt of(String instruction) {
        return new Prompt(instruction, "", null, null);
    }

    /** The user turn as the reference builds it: instruction, then a blank line and the input if any. */
    public String userTurn() {
        return input.isEmpty() ? instruction : instruction + "\n\n" + input;
    }
}
