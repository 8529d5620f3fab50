package salmonrun.worker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BookkeepingActivitiesImpl;
import salmonrun.activities.common.PhaseValidation;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.DbConfig;
import salmonrun.worker.demo.DemoPreset;
import salmonrun.worker.demo.DemoRunner;
import salmonrun.worker.demo.DemoSpec;
import salmonrun.worker.demo.EmbeddedTemporal;
import salmonrun.worker.demo.SandboxBaseModel;
import salmonrun.worker.orchestration.SalmonWorker;
import salmonrun.worker.orchestration.TemporalConnection;
import salmonrun.worker.rehearsal.RehearsalActivities;
import salmonrun.worker.rehearsal.RehearsalWorld;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.SalmonRunWorkflow;

/**
 * Measures the orchestration itself in a throw-away lineage database, on the rehearsal backend ({@link #run}) or
 * on a real preset run with the production activities ({@link #production}):
 * <ul>
 *   <li>overhead: a ci-shaped SalmonRun (all five phases) on an in-process test server and worker; wall time
 *       minus the time covered by at least one activity body (the union of the step executions' lineage
 *       intervals), split into start-up (start to the first activity) and the rest;</li>
 *   <li>resume: `salmon server` and two `salmon worker` JVMs; the worker running a training activity is killed
 *       with SIGKILL; the time until the retried attempt runs on the other worker, against heartbeat timeout + 5 s.</li>
 * </ul>
 */
public final class OrchestrationBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs both measurements; returns the figures as one JSON object. */
    public ObjectNode run(int heartbeatSeconds, boolean skipResume) throws Exception {
        DbConfig server = DbConfig.fromEnv();
        String name = "salmon_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path store = Files.createTempDirectory("salmon-bench-store-");
        ObjectNode out = JSON.createObjectNode();
        out.put("backend", "rehearsal");
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        try (Database db = Database.connect(server.withDatabase(name))) {
            RehearsalWorld world = new RehearsalWorld(db, store);
            out.set("overhead", overhead(world));
            if (!skipResume) {
                try {
                    out.set("resume", resume(world, heartbeatSeconds));
                } catch (Exception e) {
                    out.put("resume_error", e.toString());
                }
            }
        } finally {
            drop(server, name);
            RehearsalActivities.deleteTree(store);
        }
        return out;
    }

    /**
     * Overhead of one SalmonRun (all five phases) of a demo preset with the production SALMON activities on an
     * in-process test server and worker, as `salmon demo` runs it; the sandbox base model is pretrained first and
     * not counted. No warm-up run (a preset run takes minutes): start-up is reported on its own. With
     * {@code skipSelfAlign} (a briefly pretrained base model never writes the internal-thoughts prefix, so the
     * self-align filter keeps nothing) the base model stands in for the SFT model, the preset's sandbox prompt
     * pool is built beforehand (not counted), and the four other phases run.
     */
    public ObjectNode production(DemoPreset preset, long seed, boolean skipSelfAlign) throws Exception {
        DbConfig server = DbConfig.fromEnv();
        String name = "salmon_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path store = Files.createTempDirectory("salmon-bench-store-");
        ObjectNode out = JSON.createObjectNode();
        out.put("backend", "production");
        out.put("preset", preset.name());
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("load_average_start", round(loadAverage()));
        try (Database db = Database.connect(server.withDatabase(name))) {
            ActivityServices services = ActivityServices.of(db, new ArtifactStore(store));
            DemoRunner.Backend backend = DemoRunner.Backend.production();
            try (EmbeddedTemporal temporal = EmbeddedTemporal.start(backend.activities().apply(services),
                    preset.maxModelActivities(), "bench-worker")) {
                long p0 = System.currentTimeMillis();
                SandboxBaseModel.BaseModel base = new SandboxBaseModel(services, backend.pretrainer().orElseThrow())
                        .obtain(preset.sandbox(), seed, false, "bench-worker", p -> { }, line -> { });
                out.put("base_model_pretrain_s", round((System.currentTimeMillis() - p0) / 1000.0));
                ObjectNode spec = DemoSpec.build(preset, base.artifactId(), DemoSpec.importDefaults(db), PhaseNames.ALL,
                        seed, false);
                if (skipSelfAlign) {
                    spec.put("promptPool", promptPool(services, preset, base.artifactId()));
                    spec.putObject("existing").put("sftModel", base.artifactId());
                    com.fasterxml.jackson.databind.node.ArrayNode phases = spec.putArray("phases");
                    PhaseNames.ALL.stream().filter(p -> !p.equals(PhaseNames.SELF_ALIGN)).forEach(phases::add);
                    out.put("sft_model", "the base model (self_align skipped)");
                }
                out.set("phases_run", spec.get("phases"));
                WorkflowStub stub = temporal.connection().client().newUntypedWorkflowStub(SalmonRunWorkflow.TYPE,
                        WorkflowOptions.newBuilder().setWorkflowId("bench-" + preset.name() + "-" + UUID.randomUUID())
                                .setTaskQueue(TaskQueues.CONTROL).build());
                long t0 = System.currentTimeMillis();
                stub.start(spec);
                RunResult result = stub.getResult(RunResult.class);
                long t1 = System.currentTimeMillis();
                ObjectNode o = figures(db, result.runId(), t0, t1);
                o.set("phases", perPhase(db, result.runId()));
                out.set("overhead", o);
            }
        } finally {
            out.put("load_average_end", round(loadAverage()));
            drop(server, name);
            RehearsalActivities.deleteTree(store);
        }
        return out;
    }

    /** The preset's sandbox prompt pool, built as SelfAlignPromptPool builds it, outside the measured run. */
    private static long promptPool(ActivityServices services, DemoPreset preset, long baseModel) {
        int prompts = preset.phaseConfig(PhaseNames.SELF_ALIGN).path("promptPool").path("sandboxPrompts").asInt(64);
        long execution = services.lineage().startExecution(new salmonrun.activities.lineage.ExecutionStart(null,
                "bench.prompt_pool", "bench-pool-" + UUID.randomUUID(), "0".repeat(64), "bench-worker", null, null,
                JSON.createObjectNode())).id();
        salmonrun.activities.salmon.PromptPoolPhase.Config ref = salmonrun.activities.salmon.PromptPoolPhase.Config.reference();
        List<salmonrun.activities.salmon.Prompt> sandbox = salmonrun.activities.sandbox.InstructionGenerator.standard()
                .sample(salmonrun.activities.sandbox.Split.TRAIN, prompts, 1).stream()
                .map(i -> salmonrun.activities.salmon.Prompt.of(i.text())).toList();
        return salmonrun.activities.salmon.PromptPoolPhase.run(new salmonrun.activities.salmon.PhaseContext(
                services.lineage(), services.store(), execution, null, null), ref, List.of(),
                List.of(new salmonrun.activities.salmon.PromptPoolPhase.Source("sandbox", sandbox)), baseModel).artifactId();
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Wall time against the union of the step executions' lineage intervals for one run. */
    private static ObjectNode figures(Database db, long runId, long t0, long t1) throws Exception {
        List<long[]> intervals = stepIntervals(db, runId, null);
        long busy = unionMillis(intervals);
        long firstActivity = intervals.stream().mapToLong(i -> i[0]).min().orElse(t1);
        double wall = (t1 - t0) / 1000.0;
        double startup = Math.max(0, firstActivity - t0) / 1000.0;
        double overhead = wall - busy / 1000.0;
        ObjectNode o = JSON.createObjectNode();
        o.put("wall_s", round(wall));
        o.put("activity_compute_s", round(busy / 1000.0));
        o.put("overhead_s", round(overhead));
        o.put("overhead_share", round(overhead / wall));
        o.put("startup_s", round(startup));
        o.put("overhead_after_startup_share", round((overhead - startup) / (wall - startup)));
        o.put("activities", intervals.size());
        o.put("target", "overhead_after_startup_share < 0.05");
        return o;
    }

    /** Per phase: the phase row's wall time, the union of its steps' intervals, and the difference. */
    private static ObjectNode perPhase(Database db, long runId) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT phase, started_at, finished_at FROM phase_execution WHERE run_id = ? AND phase NOT LIKE '%.%' "
                        + "AND finished_at IS NOT NULL ORDER BY id")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String phase = rs.getString(1);
                    double wall = (rs.getTimestamp(3).getTime() - rs.getTimestamp(2).getTime()) / 1000.0;
                    double busy = unionMillis(stepIntervals(db, runId, phase)) / 1000.0;
                    out.putObject(phase).put("wall_s", round(wall)).put("activity_compute_s", round(busy))
                            .put("overhead_s", round(wall - busy));
                }
            }
        }
        return out;
    }

    private ObjectNode overhead(RehearsalWorld world) throws Exception {
        int port = LocalProcesses.freePort();
        try (TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(port);
             TemporalConnection connection = TemporalConnection.connect("127.0.0.1:" + port, "bench-worker");
             SalmonWorker worker = SalmonWorker.start(connection, new SalmonWorker.Settings(
                     Set.of(TaskQueues.CONTROL, TaskQueues.MODEL), 2, null), List.of(
                     new BookkeepingActivitiesImpl(world.services, new PhaseValidation(world.services)),
                     new RehearsalActivities(world.services, 2000)))) {
            // Warm-up run (class loading, JIT, connection pool), then the measured run with fresh inputs.
            runOnce(connection, world, world.spec("bench-warmup"));
            ObjectNode spec = world.spec("bench");
            spec.put("seed", 11);
            long t0 = System.currentTimeMillis();
            RunResult result = runOnce(connection, world, spec);
            long t1 = System.currentTimeMillis();
            return figures(world.db, result.runId(), t0, t1);
        }
    }

    private static RunResult runOnce(TemporalConnection connection, RehearsalWorld world, ObjectNode spec) {
        WorkflowStub stub = connection.client().newUntypedWorkflowStub(SalmonRunWorkflow.TYPE,
                WorkflowOptions.newBuilder().setWorkflowId("bench-" + UUID.randomUUID())
                        .setTaskQueue(TaskQueues.CONTROL).build());
        stub.start(spec);
        return stub.getResult(RunResult.class);
    }

    /** [start, end] in epoch millis of every step execution (phase names with a dot) of a run, or of one phase. */
    private static List<long[]> stepIntervals(Database db, long runId, String phase) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT started_at, finished_at FROM phase_execution WHERE run_id = ? AND phase LIKE ? "
                        + "AND finished_at IS NOT NULL")) {
            s.setLong(1, runId);
            s.setString(2, phase == null ? "%.%" : phase + ".%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp a = rs.getTimestamp(1);
                    Timestamp b = rs.getTimestamp(2);
                    out.add(new long[] {a.getTime(), b.getTime()});
                }
            }
        }
        return out;
    }

    static long unionMillis(List<long[]> intervals) {
        List<long[]> sorted = new ArrayList<>(intervals);
        sorted.sort((x, y) -> Long.compare(x[0], y[0]));
        long total = 0;
        long curStart = Long.MIN_VALUE;
        long curEnd = Long.MIN_VALUE;
        for (long[] i : sorted) {
            if (i[0] > curEnd) {
                if (curEnd > curStart) {
                    total += curEnd - curStart;
                }
                curStart = i[0];
                curEnd = i[1];
            } else {
                curEnd = Math.max(curEnd, i[1]);
            }
        }
        if (curEnd > curStart) {
            total += curEnd - curStart;
        }
        return total;
    }

    private ObjectNode resume(RehearsalWorld world, int heartbeatSeconds) throws Exception {
        Path logs = Files.createTempDirectory("salmon-bench-logs-"); // kept when the measurement fails
        try (LocalProcesses cluster = new LocalProcesses(logs);
             TemporalConnection client = TemporalConnection.connect(cluster.address(), "bench-client")) {
            String url = world.db.config().url();
            Process a = cluster.rehearsalWorker("worker-a", url, world.storeDir, 1);
            Process b = cluster.rehearsalWorker("worker-b", url, world.storeDir, 1);
            ObjectNode spec = world.spec("bench-resume");
            spec.put("heartbeatTimeoutSeconds", heartbeatSeconds);
            spec.putArray("phases").add(PhaseNames.SELF_ALIGN);
            spec.putObject("selfAlign").put("prompts", 12).put("steps", 400).put("checkpointEvery", 20)
                    .put("batch", 1536);
            String id = "bench-resume-" + UUID.randomUUID();
            WorkflowStub stub = client.client().newUntypedWorkflowStub(SalmonRunWorkflow.TYPE,
                    WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONTROL).build());
            stub.start(spec);
            long[] training = awaitTraining(world, id);
            String victim = workerOf(world, training[0]);
            LocalProcesses.kill(victim.equals("worker-a") ? a : b);
            long killed = System.nanoTime();
            double attemptStarted = Double.NaN;
            double resumedStep = Double.NaN;
            int stepAtKill = (int) world.count("SELECT coalesce(max(step), 0) FROM training_metric "
                    + "WHERE phase_execution_id = " + training[0]);
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && Double.isNaN(resumedStep)) {
                if (Double.isNaN(attemptStarted) && world.count("SELECT attempt FROM phase_execution WHERE id = "
                        + training[0]) >= 2) {
                    attemptStarted = (System.nanoTime() - killed) / 1e9;
                }
                if (!Double.isNaN(attemptStarted) && world.count("SELECT count(*) FROM training_metric WHERE "
                        + "phase_execution_id = " + training[0] + " AND recorded_at > now() - interval '1 second' "
                        + "AND step > " + 0) > 0) {
                    resumedStep = (System.nanoTime() - killed) / 1e9;
                }
                Thread.sleep(50);
            }
            stub.getResult(RunResult.class);
            ObjectNode o = JSON.createObjectNode();
            o.put("heartbeat_timeout_s", heartbeatSeconds);
            o.put("killed_worker", victim);
            o.put("step_at_kill", stepAtKill);
            o.put("death_to_retried_attempt_s", round(attemptStarted));
            o.put("death_to_first_resumed_step_s", round(resumedStep));
            o.put("target_s", heartbeatSeconds + 5);
            o.put("resumed_from_step", world.count("SELECT (metrics->>'resumed_from_step')::numeric::int FROM phase_execution "
                    + "WHERE id = " + training[0]));
            RehearsalActivities.deleteTree(logs);
            return o;
        }
    }

    /** Waits until the run's engraving has registered 3 checkpoints; returns its execution id. */
    private static long[] awaitTraining(RehearsalWorld world, String workflowId) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            try (Connection c = world.db.connection(); PreparedStatement s = c.prepareStatement(
                    "SELECT e.id, (SELECT count(*) FROM artifact a WHERE a.produced_by = e.id AND a.kind = 'checkpoint') "
                            + "FROM phase_execution e JOIN run r ON r.id = e.run_id "
                            + "WHERE r.workflow_id = ? AND e.phase = 'self_align.engrave'")) {
                s.setString(1, workflowId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getLong(2) >= 3) {
                        return new long[] {rs.getLong(1)};
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("training never reached 3 checkpoints");
    }

    private static String workerOf(RehearsalWorld world, long executionId) throws Exception {
        try (Connection c = world.db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT worker_identity FROM phase_execution WHERE id = " + executionId)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void drop(DbConfig server, String name) {
        DbConfig admin = server.withDatabase("postgres");
        try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (Exception e) {
            System.err.println("bench: could not drop database " + name + ": " + e.getMessage());
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
