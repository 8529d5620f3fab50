package salmonrun.activities.salmon;

/** P7: principle-wise judging of response pairs in both orders, one {@code judgement-shard} per shard. */
public final class JudgingPhase {
    /** Kind of a shard artifact. */
    public static final String KIND = "judgement-shard";

    private JudgingPhase() {}
}
