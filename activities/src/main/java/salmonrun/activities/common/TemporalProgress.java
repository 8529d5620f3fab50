package salmonrun.activities.common;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.salmon.Progress;
import salmonrun.activities.salmon.ProgressListener;
import salmonrun.workflows.common.PhaseProgress;

/**
 * The ProgressListener a phase gets inside an activity. Every call heartbeats (the SDK throttles what reaches
 * the server); a heartbeat on a cancelled activity throws, and that exception must leave the phase, which stops
 * it within one step. At most every {@code reportMillis} it also reports progress to the workflow (so queries
 * see step, loss, reward, KL), records the figures in lineage, and checks whether the workflow is paused; while
 * paused it waits here, between steps, heartbeating.
 */
public final class TemporalProgress implements ProgressListener {
    private static final Logger log = LoggerFactory.getLogger(TemporalProgress.class);

    private final ActivityExecutionContext context;
    private final LineageRepository lineage;
    private final long executionId;
    private final String phase;
    private final long reportMillis;
    private final LongSupplier clock;
    private long lastReport = Long.MIN_VALUE / 2;
    private long lastMetricsStep = -1;

    public TemporalProgress(ActivityExecutionContext context, LineageRepository lineage, long executionId,
                            String phase, long reportMillis) {
        this.context = context;
        this.lineage = lineage;
        this.executionId = executionId;
        this.phase = phase;
        this.reportMillis = reportMillis;
        this.clock = System::currentTimeMillis;
    }

    @Override
    public void onProgress(Progress p) {
        context.heartbeat(p);
        long now = clock.getAsLong();
        boolean checkpoint = p.checkpointArtifactId() != null;
        if (!p.metrics().isEmpty() && p.step() != lastMetricsStep && (checkpoint || now - lastReport >= reportMillis)) {
            lineage.recordTrainingMetrics(executionId, (int) p.step(), p.metrics());
            lastMetricsStep = p.step();
        }
        if (now - lastReport < reportMillis) {
            return;
        }
        lastReport = now;
        WorkflowStub workflow = workflow();
        if (workflow == null) {
            return;
        }
        try {
            workflow.signal("report", new PhaseProgress(phase, p.stage(), p.step(), p.total(), p.metrics(),
                    p.checkpointArtifactId(), false, null, new PhaseProgress.ActivityStep(p.stage(), p.step(), p.total())));
            while (Boolean.TRUE.equals(workflow.query("paused", Boolean.class))) {
                context.heartbeat(p); // throws when cancelled while paused
                Thread.sleep(Math.min(1000, reportMillis));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while paused", e);
        } catch (io.temporal.client.ActivityCompletionException e) {
            throw e;
        } catch (RuntimeException e) {
            // Reports are best effort: a workflow that cannot answer right now must not fail the training.
            log.debug("progress report to {} failed: {}", context.getInfo().getWorkflowId(), e.toString());
        }
    }

    private WorkflowStub workflow() {
        try {
            WorkflowClient client = context.getWorkflowClient();
            return client.newUntypedWorkflowStub(context.getInfo().getWorkflowId(),
                    java.util.Optional.of(context.getInfo().getRunId()), java.util.Optional.empty());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Progress with a metric map (convenience for callers outside the phases). */
    public static Progress progress(String stage, long step, long total, Map<String, Double> metrics, Long ckpt) {
        return new Progress(stage, step, total, metrics, ckpt);
    }
}
