package salmonrun.activities.common;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import salmonrun.activities.lineage.PhaseExecution;

/**
 * Memoization lookups shared by phase- and step-level reuse: a completed execution with the key is reused only
 * while every output artifact is still registered and present in the artifact store (otherwise the work runs
 * again rather than handing out dangling ids), and its reuse by another run is recorded in {@code run_reuse}.
 */
final class Memo {
    private static final Logger log = LoggerFactory.getLogger(Memo.class);

    private Memo() {}

    /** The reusable completed execution with {@code executionKey}, recorded as reused by {@code runId}. */
    static Optional<PhaseExecution> reuse(ActivityServices services, String executionKey, Long runId, String what) {
        Optional<PhaseExecution> done = services.lineage().findCompleted(executionKey);
        if (done.isEmpty()) {
            return done;
        }
        PhaseExecution e = done.get();
        if (!services.lineage().outputsAvailable(e)) {
            log.warn("{}: execution {} matches but its outputs {} are no longer all in the artifact store; running again",
                    what, e.id(), e.outputs());
            return Optional.empty();
        }
        // The run's audit lists executions it reused from other runs; its own are listed anyway.
        if (runId != null && !runId.equals(e.runId())) {
            services.lineage().recordReuse(runId, e.id());
        }
        return done;
    }
}
