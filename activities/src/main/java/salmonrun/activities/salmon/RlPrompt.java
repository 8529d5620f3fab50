package salmonrun.activities.salmon;

/**
 * One RL prompt: the bare user turn (what the reward model sees), its type (0 general, 1 reasoning,
 * 2 red-teaming) and its own length-bonus multiplier if the pool gives one (else the config's per-type value).
 */
public record RlPrompt(String userTurn, int questionType, Double lengthBonus) {
    public RlPrompt {
        if (userTurn == null || userTurn.isBlank()) {
            throw new IllegalArgumentException("an RL prompt needs a non-blank user turn");
        }
        if (questionType < 0) {
            throw new IllegalArgumentException("question type must be >= 0, got " + questionType);
        }
    }
}
