package salmonrun.activities.sandbox;

import java.util.Locale;

/**
 * Sizes of a sandbox pretraining run. Token budgets follow DESIGN.md's calibration: at these budgets tokens seen
 * matter more than parameters, so the models stay around 1M parameters and the time goes into tokens.
 *
 * @param documents      corpus documents generated (train split instructions only)
 * @param tokenizerDocs  documents the BPE tokenizer is trained on (a prefix of the corpus)
 * @param validationDocs held-out documents (different seed) for the loss before/after
 * @param vocab          BPE vocabulary size
 * @param hidden         model width
 * @param layers         decoder layers
 * @param heads          attention heads
 * @param kvHeads        key/value heads (grouped-query attention when fewer than heads)
 * @param intermediate   SwiGLU width
 * @param context        sequence length (max positions)
 * @param rows           sequences per micro-batch
 * @param lr             peak learning rate
 * @param maxSteps       optimizer steps (an upper bound when a time budget is set)
 * @param trainSeconds   wall-clock budget for the training loop (steps are fitted to it after a short calibration);
 *                       {@link #UNLIMITED_SECONDS} for a fixed-step run
 * @param totalSeconds   wall-clock limit for the whole run: training gets less than {@code trainSeconds} when corpus
 *                       and tokenizer took longer than planned (a loaded machine), so the run still ends in time
 */
public record SandboxPreset(String name, int documents, int tokenizerDocs, int validationDocs, int vocab, int hidden,
                            int layers, int heads, int kvHeads, int intermediate, int context, int rows, double lr,
                            long maxSteps, int trainSeconds, int totalSeconds) {

    /** A time budget that never binds (fixed-step runs). */
    static final int UNLIMITED_SECONDS = Integer.MAX_VALUE / 4;

    /** Seconds-scale, for tests. */
    public static final SandboxPreset CI = new SandboxPreset("ci", 400, 200, 24, 512, 48, 2, 2, 2, 128, 512, 2, 3e-3, 40, 60, 600);
    /**
     * 640 fixed steps (2.6M tokens): about 5 minutes in all on an idle 2-core machine (284 s of training measured).
     * Fixed steps, not a time budget, so the base model and every sandbox figure downstream of it depend only on
     * the seed; a busy machine takes longer instead of training less.
     */
    public static final SandboxPreset TINY = new SandboxPreset("tiny", 12000, 1000, 64, 2048, 128, 4, 4, 2, 384, 512, 8, 3e-3,
            640, UNLIMITED_SECONDS, UNLIMITED_SECONDS);
    /** 4,000 fixed steps (16M tokens): 39 minutes in all on an idle 2-core machine (2,274 s of training measured). */
    public static final SandboxPreset SMALL = new SandboxPreset("small", 40000, 1000, 128, 2048, 144, 4, 4, 2, 384, 512, 8, 2e-3,
            4000, UNLIMITED_SECONDS, UNLIMITED_SECONDS);

    /** Parses {@code ci}, {@code tiny} or {@code small}. */
    public static SandboxPreset named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ci" -> CI;
            case "tiny" -> TINY;
            case "small" -> SMALL;
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (expected ci, tiny or small)");
        };
    }

    /**
     * The same preset trained for exactly {@code steps} optimizer steps whatever the machine's speed: the model then
     * depends only on the seed, not on how busy the machine was (the time budget no longer applies).
     */
    public SandboxPreset withSteps(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        return new SandboxPreset(name, documents, tokenizerDocs, validationDocs, vocab, hidden, layers, heads, kvHeads,
                intermediate, context, rows, lr, steps, UNLIMITED_SECONDS, UNLIMITED_SECONDS);
    }

    /** The same preset with another training budget in seconds (for experiments and tests). */
    public SandboxPreset withTrainSeconds(int seconds) {
        return new SandboxPreset(name, documents, tokenizerDocs, validationDocs, vocab, hidden, layers, heads, kvHeads,
                intermediate, context, rows, lr, maxSteps, seconds, Math.max(totalSeconds, seconds));
    }
}
