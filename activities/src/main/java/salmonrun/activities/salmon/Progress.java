package salmonrun.activities.salmon;

import java.util.Map;

/**
 * A phase's progress: stage name, step out of total, current figures (loss, reward, kl, tokens_per_s ...)
 * and the newest registered checkpoint artifact, if any. Temporal activities heartbeat these.
 */
public record Progress(String stage, long step, long total, Map<String, Double> metrics, Long checkpointArtifactId) {

    public Progress {
        metrics = Map.copyOf(metrics);
    }
}
