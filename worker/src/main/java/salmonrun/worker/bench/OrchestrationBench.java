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
import salmonrun.activities.common.BookkeepingActivitiesImpl;
import salmonrun.activities.common.PhaseValidation;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.DbConfig;
import salmonrun.worker.orchestration.SalmonWorker;
import salmonrun.worker.orchestration.TemporalConnection;
import salmonrun.worker.rehearsal.RehearsalActivities;
import salmonrun.worker.rehearsal.RehearsalWorld;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.SalmonRunWorkflow;

/**
 * Measures the orchestration itself, on the rehearsal backend, in a throw-away lineage database:
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
            List<long[]> intervals = stepIntervals(world, result.runId());
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
    }

    private static RunResult runOnce(TemporalConnection connection, RehearsalWorld world, ObjectNode spec) {
        WorkflowStub stub = connection.client().newUntypedWorkflowStub(SalmonRunWorkflow.TYPE,
                WorkflowOptions.newBuilder().setWorkflowId("bench-" + UUID.randomUUID())
                        .setTaskQueue(TaskQueues.CONTROL).build());
        stub.start(spec);
        return stub.getResult(RunResult.class);
    }

    /** [start, end] in epoch millis of every step execution (phase names with a dot) of a run. */
    private static List<long[]> stepIntervals(RehearsalWorld world, long runId) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Connection c = world.db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT started_at, finished_at FROM phase_execution WHERE run_id = ? AND phase LIKE '%.%' "
                        + "AND finished_at IS NOT NULL")) {
            s.setLong(1, runId);
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
        Path logs = Files.createTempDirectory("salmon-bench-logs-");
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
            o.put("resumed_from_step", world.count("SELECT (metrics->>'resumed_from_step')::int FROM phase_execution "
                    + "WHERE id = " + training[0]));
            return o;
        } finally {
            RehearsalActivities.deleteTree(logs);
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
