package salmonrun.activities.salmon;

/**
 * Receives a phase's progress. A listener may throw (e.g. Temporal's cancellation exception from a
 * heartbeat) to stop the phase between steps; phases must let that exception propagate.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Ignores progress. */
    ProgressListener NONE = p -> { };

    void onProgress(Progress progress);
}
