package salmonrun.activities.salmon;

import java.util.List;

/** P5/P6: two samples per prompt from the engraved model, paired into the {@code response-pairs} artifact. */
public final class ResponsePairsPhase {
    /** Kind of the output artifact. */
    public static final String KIND = "response-pairs";

    private ResponsePairsPhase() {}

    /** The pairs of a registered {@code response-pairs} artifact. */
    public static List<ResponsePair> read(PhaseContext ctx, long pairsArtifactId) {
        return ResponsePair.fromJsonl(ctx.read(pairsArtifactId, KIND));
    }
}
