package salmonrun.activities.model.generate;

/**
 * One generated continuation: its text (cut before the first stop string, special tokens left out), the token
 * ids generated (up to and including the one that completed a stop string or EOS) and why it ended:
 * {@code "stop"} (stop string), {@code "eos"} or {@code "length"}.
 */
public record Generation(String text, int[] tokens, String finishReason) {
}
