package salmonrun.workflows.common;

import java.util.Map;

/**
 * A phase's progress as its workflow knows it: stage, step out of total, newest figures (loss, reward, kl ...),
 * newest checkpoint, and whether it is paused (with the reason given).
 */
public record PhaseProgress(String phase, String stage, long step, long total, Map<String, Double> metrics,
                            Long checkpointArtifactId, boolean paused, String pauseReason) {

    public PhaseProgress {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** A phase that has not started a stage yet. */
    public static PhaseProgress starting(String phase) {
        return new PhaseProgress(phase, "starting", 0, 0, Map.of(), null, false, null);
    }
}
