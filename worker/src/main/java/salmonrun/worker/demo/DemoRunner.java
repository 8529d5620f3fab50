package salmonrun.worker.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.ProductionActivities;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.Database;
import salmonrun.worker.orchestration.RunFollower;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.SalmonRunWorkflow;

/**
 * The demo end to end: detect which pieces are built, start Temporal and a worker in this JVM, pretrain or reuse the
 * sandbox base model, run SalmonRun with the preset's RunSpec while drawing progress, and summarise.
 */
public final class DemoRunner {
    /** Exit code when every phase ran. */
    public static final int OK = 0;
    /** Exit code when the run failed. */
    public static final int FAILED = 1;
    /** Exit code when pieces are not built yet (or the environment is unusable). */
    public static final int NOT_BUILT = 2;

    /** What to run. */
    public record Options(DemoPreset preset, long seed, boolean force, long pollMillis) {}

    /** The exit code and the summary. */
    public record Outcome(int exitCode, DemoSummary summary) {}

    /**
     * Where the work comes from: the activity implementations the embedded worker registers and the base-model
     * pretrainer (empty when not built). {@link #production()} is what `salmon demo` uses.
     */
    public record Backend(java.util.function.Function<ActivityServices, List<Object>> activities,
                          Optional<SandboxBaseModel.Pretrainer> pretrainer) {
        /** The SALMON activities of a production worker and the sandbox pretrainer. */
        public static Backend production() {
            return new Backend(services -> ProductionActivities.create(services, 1000), SandboxPretraining.pretrainer());
        }
    }

    private final Database db;
    private final ArtifactStore store;
    private final ProgressDisplay display;
    private final Backend backend;

    public DemoRunner(Database db, ArtifactStore store, ProgressDisplay display, Backend backend) {
        this.db = db;
        this.store = store;
        this.display = display;
        this.backend = backend;
    }

    public Outcome run(Options o) throws Exception {
        long started = System.nanoTime();
        ActivityServices services = ActivityServices.of(db, store);
        List<Object> activities = backend.activities().apply(services);
        Optional<SandboxBaseModel.Pretrainer> pretrainer = backend.pretrainer();
        DemoPieces pieces = DemoPieces.detect(pretrainer.isPresent(), activities);
        List<String> phases = pieces.runnable();
        if (!pieces.pretrain()) {
            return new Outcome(NOT_BUILT, new DemoSummary("not_built", o.preset().name(), null, null,
                    seconds(started), null, new SummaryBuilder(null, services.lineage()).phases(null, pieces),
                    List.of(), pieces.missing(), List.of(), null));
        }
        String identity = "salmon-demo-" + ManagementFactory.getRuntimeMXBean().getPid();
        display.say("salmon demo: preset " + o.preset().name() + ", lineage " + db.config().url() + ", store "
                + store.root());
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start(activities, o.preset().maxModelActivities(), identity)) {
            display.say("salmon demo: Temporal test server on 127.0.0.1:" + temporal.port()
                    + ", worker on " + TaskQueues.CONTROL + " and " + TaskQueues.MODEL);
            SandboxBaseModel.BaseModel base = new SandboxBaseModel(services, pretrainer.get()).obtain(
                    o.preset().sandbox(), o.seed(), o.force(), identity,
                    p -> display.update("base model: " + p.stage(), p.step(), p.total(), p.metrics()),
                    line -> {
                        // Step lines repeat what the bar shows; the others (corpus, tokenizer, calibration) do not.
                        if (!line.matches("step \\d+/\\d+.*")) {
                            display.say("base model: " + line);
                        }
                    });
            display.done(base.reused()
                    ? "base model: reused checkpoint " + base.artifactId() + " (memoized execution " + base.executionId() + ")"
                    : "base model: pretrained checkpoint " + base.artifactId() + " in "
                            + ProgressDisplay.duration(base.seconds()));
            if (phases.isEmpty()) {
                return new Outcome(NOT_BUILT, new DemoSummary("partial", o.preset().name(), null, null,
                        seconds(started), baseSummary(base, services),
                        new SummaryBuilder(null, services.lineage()).phases(null, pieces), List.of(), pieces.missing(),
                        base.reused() ? List.of("base model") : List.of(), null));
            }
            DemoSpec.Sets sets = DemoSpec.importDefaults(db);
            ObjectNode spec = DemoSpec.build(o.preset(), base.artifactId(), sets, phases, o.seed(), o.force());
            String workflowId = "salmon-demo-" + o.preset().name() + "-" + System.currentTimeMillis();
            WorkflowStub stub = temporal.connection().client().newUntypedWorkflowStub(SalmonRunWorkflow.TYPE,
                    WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TaskQueues.CONTROL).build());
            stub.start(spec);
            display.say("salmon demo: started " + SalmonRunWorkflow.TYPE + " " + workflowId + " (phases "
                    + String.join(", ", phases) + ")");
            RunFollower follower = new RunFollower(temporal.connection().client());
            WorkflowExecutionStatus status = new RunWatcher(follower, display, o.pollMillis()).follow(workflowId);
            SummaryBuilder summaries = new SummaryBuilder(temporal.connection().client(), services.lineage());
            RunResult result;
            try {
                result = stub.getResult(RunResult.class);
            } catch (WorkflowFailedException e) {
                Long runId = services.lineage().runByWorkflowId(workflowId).map(r -> r.id()).orElse(null);
                List<String> completed = List.of();
                try {
                    completed = follower.state(workflowId).completedPhases();
                } catch (RuntimeException ignored) {
                    // The state query is a nicety here; lineage still has the executions.
                }
                return new Outcome(FAILED, new DemoSummary("failed", o.preset().name(), workflowId, runId,
                        seconds(started), baseSummary(base, services),
                        summaries.phasesOfFailedRun(workflowId, runId, completed, pieces), List.of(),
                        pieces.missing(), base.reused() ? List.of("base model") : List.of(),
                        failureMessage(e)));
            }
            List<DemoSummary.PhaseSummary> phaseRows = summaries.phases(result, pieces);
            List<String> reused = new ArrayList<>();
            if (base.reused()) {
                reused.add("base model");
            }
            phaseRows.stream().filter(p -> "memoized".equals(p.status())).forEach(p -> reused.add(p.phase()));
            // All four rows (base, base with principles in context, SFT, PPO) come from the Eval phase's artifacts.
            List<DemoSummary.EvaluationSummary> evaluations = summaries.evaluations(result);
            boolean complete = pieces.complete() && phases.equals(PhaseNames.ALL);
            return new Outcome(complete ? OK : NOT_BUILT, new DemoSummary(complete ? "completed" : "partial",
                    o.preset().name(), workflowId, result.runId(), seconds(started), baseSummary(base, services),
                    phaseRows, evaluations, pieces.missing(), reused, null));
        }
    }

    /** The failing activity (if any) and the innermost application message, without the SDK's decorations. */
    static String failureMessage(Throwable e) {
        String activity = null;
        String message = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.temporal.failure.ActivityFailure af) {
                activity = af.getActivityType();
            }
            if (t instanceof io.temporal.failure.ApplicationFailure af) {
                message = af.getOriginalMessage();
            } else if (!(t instanceof io.temporal.failure.TemporalFailure) && !(t instanceof WorkflowFailedException)) {
                message = t.getMessage();
            }
        }
        return activity == null ? message : activity + ": " + message;
    }

    private static DemoSummary.BaseModelSummary baseSummary(SandboxBaseModel.BaseModel b, ActivityServices services) {
        double compute = SandboxBaseModel.seconds(services.lineage().execution(b.executionId()));
        return new DemoSummary.BaseModelSummary(b.artifactId(), b.executionId(), b.reused(), b.reused() ? 0 : b.seconds(),
                compute, new java.util.TreeMap<>(b.metrics()));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
