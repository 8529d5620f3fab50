package salmonrun.activities.common;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowStub;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.metrics.SalmonMetrics;
import salmonrun.activities.salmon.Progress;
import salmonrun.activities.salmon.ProgressListener;
import salmonrun.workflows.common.PhaseProgress;

/**
 * The ProgressListener a phase gets inside an activity. Every call heartbeats (the SDK throttles what reaches
 * the server); a heartbeat on a cancelled activity throws, and that exception must leave the phase, which stops
 * it within one step. At most every {@code reportMillis} it records the figures in lineage and, on a background
 * thread (so a slow workflow never delays a heartbeat), reports progress to the workflow and asks whether it is
 * paused; while paused, the phase waits here between steps, still heartbeating.
 */
public final class TemporalProgress implements ProgressListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TemporalProgress.class);

    private final ActivityExecutionContext context;
    private final LineageRepository lineage;
    private volatile long executionId = -1;
    private final String phase;
    private final long reportMillis;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean reporting = new AtomicBoolean();
    private ExecutorService reporter;
    private final java.util.concurrent.ScheduledExecutorService keepAlive;
    private volatile Progress latest = new Progress("starting", 0, 0, java.util.Map.of(), null);
    private volatile long lastBeat = System.currentTimeMillis();
    private volatile RuntimeException stopped;
    private long lastReport = Long.MIN_VALUE / 2;
    private long lastMetrics = Long.MIN_VALUE / 2;
    private long lastMetricsStep = -1;
    /** This activity's slot of the phase's gauges on /metrics, so concurrent activities of a phase do not collide. */
    private final SalmonMetrics.Recorder metrics;

    public TemporalProgress(ActivityExecutionContext context, LineageRepository lineage, String phase,
                            long reportMillis) {
        this.context = context;
        this.lineage = lineage;
        this.phase = phase;
        this.reportMillis = reportMillis;
        this.metrics = SalmonMetrics.global().open(phase);
        // Between steps (model loading, a slow database call) nobody calls onProgress; a keep-alive heartbeat
        // stops the server from taking a live worker for dead. A cancellation it sees is rethrown at the next step.
        java.time.Duration timeout = context.getInfo().getHeartbeatTimeout();
        long every = Math.max(500, (timeout == null || timeout.isZero() ? 30_000 : timeout.toMillis()) / 3);
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "salmon-keepalive-" + context.getInfo().getActivityId());
            t.setDaemon(true);
            return t;
        });
        keepAlive.scheduleWithFixedDelay(() -> {
            if (System.currentTimeMillis() - lastBeat < every) {
                return;
            }
            try {
                context.heartbeat(latest);
                lastBeat = System.currentTimeMillis();
            } catch (RuntimeException e) {
                stopped = e;
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The lineage execution whose figures this listener records. */
    public void attach(long executionId) {
        this.executionId = executionId;
    }

    /** Heartbeats now (before slow setup work). */
    public void beat() {
        RuntimeException s = stopped;
        if (s != null) {
            throw s;
        }
        context.heartbeat(latest);
        lastBeat = System.currentTimeMillis();
    }

    @Override
    public void onProgress(Progress p) {
        latest = p;
        metrics.record(p); // loss, reward, KL, tokens on /metrics (a no-op without a server)
        RuntimeException s = stopped;
        if (s != null) {
            throw s;
        }
        context.heartbeat(p);
        lastBeat = System.currentTimeMillis();
        long now = System.currentTimeMillis();
        boolean checkpoint = p.checkpointArtifactId() != null;
        if (executionId >= 0 && !p.metrics().isEmpty() && p.step() != lastMetricsStep && (checkpoint || now - lastMetrics >= reportMillis)) {
            lineage.recordTrainingMetrics(executionId, (int) p.step(), p.metrics());
            lastMetricsStep = p.step();
            lastMetrics = now;
        }
        if (now - lastReport >= reportMillis) {
            lastReport = now;
            report(p);
        }
        while (paused.get()) {
            context.heartbeat(p); // throws when the activity is cancelled while paused
            sleep(Math.min(500, reportMillis));
            if (System.currentTimeMillis() - lastReport >= reportMillis) {
                lastReport = System.currentTimeMillis();
                report(p);
            }
        }
    }

    /** Signals progress to the workflow and refreshes the pause flag, unless a report is still in flight. */
    private void report(Progress p) {
        if (!reporting.compareAndSet(false, true)) {
            return;
        }
        if (reporter == null) {
            reporter = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "salmon-progress-" + executionId);
                t.setDaemon(true);
                return t;
            });
        }
        PhaseProgress report = new PhaseProgress(phase, p.stage(), p.step(), p.total(), p.metrics(),
                p.checkpointArtifactId(), false, null, new PhaseProgress.ActivityStep(p.stage(), p.step(), p.total()));
        String workflowId = context.getInfo().getWorkflowId();
        String runId = context.getInfo().getRunId();
        reporter.execute(() -> {
            try {
                WorkflowStub workflow = context.getWorkflowClient().newUntypedWorkflowStub(workflowId,
                        Optional.of(runId), Optional.empty());
                workflow.signal("report", report);
                paused.set(Boolean.TRUE.equals(workflow.query("paused", Boolean.class)));
            } catch (RuntimeException e) {
                // Best effort: a workflow that cannot answer right now must not stop the work.
                log.debug("progress report to {} failed: {}", workflowId, e.toString());
            } finally {
                reporting.set(false);
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while paused", e);
        }
    }

    /** Stops the reporting thread. */
    @Override
    public void close() {
        metrics.close();
        keepAlive.shutdownNow();
        if (reporter != null) {
            reporter.shutdownNow();
        }
    }
}
