package salmonrun.workflows.common;

import java.util.Map;

/**
 * A phase's progress as its workflow knows it: the workflow's stage and step out of total (e.g. "iterate" 2/5
 * PPO rounds, "generate" 3/4 shards), the running activity's own position ({@code activity}: e.g. "train"
 * 120/400, from its progress reports), the newest figures (loss, reward, kl ...), the newest checkpoint, and
 * whether the phase is paused (with the reason given).
 */
public record PhaseProgress(String phase, String stage, long step, long total, Map<String, Double> metrics,
                            Long checkpointArtifactId, boolean paused, String pauseReason, ActivityStep activity) {

    /** Where a running activity is: its own stage and step out of total (0 when open-ended). */
    public record ActivityStep(String stage, long step, long total) {}

    public PhaseProgress {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** A phase that has not started a stage yet. */
    public static PhaseProgress starting(String phase) {
        return new PhaseProgress(phase, "starting", 0, 0, Map.of(), null, false, null, null);
    }
}
