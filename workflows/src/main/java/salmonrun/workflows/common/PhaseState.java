package salmonrun.workflows.common;

import io.temporal.workflow.Workflow;
import java.util.Map;

/** A phase workflow's mutable progress and pause state; deterministic, driven by signals and step results. */
public final class PhaseState {
    private PhaseProgress progress;

    public PhaseState(String phase) {
        this.progress = PhaseProgress.starting(phase);
    }

    public PhaseProgress progress() {
        return progress;
    }

    public boolean paused() {
        return progress.paused();
    }

    /** Enters a stage of {@code total} steps. */
    public void stage(String stage, long total) {
        progress = new PhaseProgress(progress.phase(), stage, 0, total, progress.metrics(),
                progress.checkpointArtifactId(), progress.paused(), progress.pauseReason());
    }

    /** Records a finished step with its figures and checkpoint (null keeps the previous one). */
    public void step(long step, Map<String, Double> metrics, Long checkpoint) {
        progress = new PhaseProgress(progress.phase(), progress.stage(), step, progress.total(),
                metrics == null || metrics.isEmpty() ? progress.metrics() : metrics,
                checkpoint == null ? progress.checkpointArtifactId() : checkpoint,
                progress.paused(), progress.pauseReason());
    }

    /** An activity's report: figures within the current stage (stage and pause flags stay the workflow's). */
    public void report(PhaseProgress r) {
        progress = new PhaseProgress(progress.phase(), r.stage() == null ? progress.stage() : r.stage(),
                r.step(), r.total() > 0 ? r.total() : progress.total(),
                r.metrics().isEmpty() ? progress.metrics() : r.metrics(),
                r.checkpointArtifactId() == null ? progress.checkpointArtifactId() : r.checkpointArtifactId(),
                progress.paused(), progress.pauseReason());
    }

    public void pause(String reason) {
        progress = new PhaseProgress(progress.phase(), progress.stage(), progress.step(), progress.total(),
                progress.metrics(), progress.checkpointArtifactId(), true, reason);
    }

    public void resume() {
        progress = new PhaseProgress(progress.phase(), progress.stage(), progress.step(), progress.total(),
                progress.metrics(), progress.checkpointArtifactId(), false, null);
    }

    /** Blocks (durably) while paused. */
    public void awaitResumed() {
        Workflow.await(() -> !progress.paused());
    }
}
