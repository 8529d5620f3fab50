package salmonrun.workflows.common;

import io.temporal.workflow.Workflow;
import java.util.Map;

/** A phase workflow's mutable progress and pause state; deterministic, driven by signals and step results. */
public final class PhaseState {
    private PhaseProgress p;

    public PhaseState(String phase) {
        this.p = PhaseProgress.starting(phase);
    }

    public PhaseProgress progress() {
        return p;
    }

    public boolean paused() {
        return p.paused();
    }

    /** Enters a stage of {@code total} steps (0: open-ended). */
    public void stage(String stage, long total) {
        p = new PhaseProgress(p.phase(), stage, 0, total, p.metrics(), p.checkpointArtifactId(), p.paused(),
                p.pauseReason(), null);
    }

    /** Records a finished workflow-level step with its figures and checkpoint (null/empty keep the previous). */
    public void step(long step, Map<String, Double> metrics, Long checkpoint) {
        p = new PhaseProgress(p.phase(), p.stage(), step, p.total(),
                metrics == null || metrics.isEmpty() ? p.metrics() : metrics,
                checkpoint == null ? p.checkpointArtifactId() : checkpoint, p.paused(), p.pauseReason(), p.activity());
    }

    /** A running activity's report: its own position, figures and newest checkpoint. */
    public void report(PhaseProgress r) {
        PhaseProgress.ActivityStep at = r.activity() != null ? r.activity()
                : new PhaseProgress.ActivityStep(r.stage(), r.step(), r.total());
        p = new PhaseProgress(p.phase(), p.stage(), p.step(), p.total(),
                r.metrics().isEmpty() ? p.metrics() : r.metrics(),
                r.checkpointArtifactId() == null ? p.checkpointArtifactId() : r.checkpointArtifactId(),
                p.paused(), p.pauseReason(), at);
    }

    public void pause(String reason) {
        p = new PhaseProgress(p.phase(), p.stage(), p.step(), p.total(), p.metrics(), p.checkpointArtifactId(), true,
                reason, p.activity());
    }

    public void resume() {
        p = new PhaseProgress(p.phase(), p.stage(), p.step(), p.total(), p.metrics(), p.checkpointArtifactId(), false,
                null, p.activity());
    }

    /** Blocks (durably) while paused. */
    public void awaitResumed() {
        Workflow.await(() -> !p.paused());
    }
}
