package salmonrun.worker.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.NewArtifact;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.SalmonRunWorkflow;

/**
 * Fault tests with real processes: `salmon server` and rehearsal workers in separate JVMs, workers killed with
 * SIGKILL mid-activity, PostgreSQL cut off through a TCP proxy. Heartbeat timeout 3 s.
 */
class FaultToleranceTest {
    static final int HEARTBEAT_SECONDS = 3;
    static Rehearsal world;

    @BeforeAll
    static void world() throws Exception {
        world = Rehearsal.create();
    }

    @AfterAll
    static void drop() throws Exception {
        if (world != null) {
            world.close();
        }
    }

    private ObjectNode selfAlignSpec(String name, int steps, int checkpointEvery) {
        ObjectNode spec = world.spec(name);
        spec.put("heartbeatTimeoutSeconds", HEARTBEAT_SECONDS);
        spec.putArray("phases").add(PhaseNames.SELF_ALIGN);
        spec.putObject("selfAlign").put("prompts", 12).put("steps", steps).put("checkpointEvery", checkpointEvery)
                .put("batch", 1536);
        return spec;
    }

    private static WorkflowStub start(TemporalConnection c, String id, ObjectNode spec) {
        WorkflowStub stub = c.client().newUntypedWorkflowStub(SalmonRunWorkflow.TYPE,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONTROL).build());
        stub.start(spec);
        return stub;
    }

    /** The step rows of one lineage phase of a run: id, status, attempt, worker, shard. */
    record Row(long id, String status, int attempt, String worker, int shard) {}

    private static List<Row> rows(String workflowId, String phase) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Connection c = world.db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT e.id, e.status, e.attempt, e.worker_identity, (e.config->>'shard')::int FROM phase_execution e "
                        + "JOIN run r ON r.id = e.run_id WHERE r.workflow_id = ? AND e.phase = ? ORDER BY e.id")) {
            s.setString(1, workflowId);
            s.setString(2, phase);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getInt(5)));
                }
            }
        }
        return out;
    }

    private static List<Integer> checkpointSteps(long executionId) throws SQLException {
        List<Integer> steps = new ArrayList<>();
        try (Connection c = world.db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT (metadata->>'step')::int FROM artifact WHERE produced_by = ? AND kind = 'checkpoint' ORDER BY id")) {
            s.setLong(1, executionId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getInt(1));
                }
            }
        }
        return steps;
    }

    private static int lastRecordedStep(long executionId) throws SQLException {
        return (int) world.count("SELECT coalesce(max(step), 0) FROM training_metric WHERE phase_execution_id = "
                + executionId);
    }

    private static Row awaitRow(String workflowId, String phase, java.util.function.Predicate<Row> ready)
            throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            for (Row r : rows(workflowId, phase)) {
                if (ready.test(r)) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + phase + " row of " + workflowId + " became ready");
    }

    @Test
    void killedTrainingWorkerIsReplacedAndTrainingResumesFromNewestCheckpoint() throws Exception {
        int every = 20;
        try (ProcessCluster cluster = new ProcessCluster("kill-training");
             TemporalConnection client = TemporalConnection.connect(cluster.address(), "test-client")) {
            String url = world.db.config().url();
            Map<String, Process> workers = new TreeMap<>();
            workers.put("worker-a", cluster.worker("worker-a", url, world.storeDir, "control,model", 1));
            workers.put("worker-b", cluster.worker("worker-b", url, world.storeDir, "control,model", 1));
            String id = "kill-training-" + UUID.randomUUID();
            WorkflowStub run = start(client, id, selfAlignSpec("kill-training", 240, every));

            Row training = awaitRow(id, "self_align.engrave", r -> {
                try {
                    return checkpointSteps(r.id()).size() >= 3;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            ProcessCluster.kill(workers.get(training.worker()));
            long killedAt = System.nanoTime();
            int stepAtKill = lastRecordedStep(training.id());
            List<Integer> atKill = checkpointSteps(training.id());
            int newestAtKill = atKill.get(atKill.size() - 1);

            Row resumed = awaitRow(id, "self_align.engrave", r -> r.attempt() >= 2);
            double resumeSeconds = (System.nanoTime() - killedAt) / 1e9;
            RunResult result = run.getResult(RunResult.class);

            assertEquals("completed", world.services.lineage().run(result.runId()).orElseThrow().status());
            List<Row> engrave = rows(id, "self_align.engrave");
            assertEquals(1, engrave.size(), "one execution row for the training, whatever its attempts");
            assertEquals(2, engrave.get(0).attempt());
            assertTrue(!engrave.get(0).worker().equals(training.worker()), "another worker finished it");
            Map<String, Double> metrics = result.phases().get(PhaseNames.SELF_ALIGN).metrics();
            int resumedFrom = metrics.get("sft_resumed_from_step").intValue();
            assertEquals(newestAtKill, resumedFrom, "resumed from the newest registered checkpoint");
            assertTrue(stepAtKill - resumedFrom <= every, "lost " + (stepAtKill - resumedFrom) + " steps > " + every);
            // Each checkpoint step registered exactly once (a resumed run re-registers nothing it had).
            List<Integer> steps = checkpointSteps(training.id());
            assertEquals(steps.stream().distinct().count(), steps.size(), "duplicate checkpoint rows: " + steps);
            assertEquals(240 / every, steps.size(), steps.toString());
            assertTrue(resumeSeconds <= HEARTBEAT_SECONDS + 5, "resumed after " + resumeSeconds + " s");
            System.out.printf("kill-training: killed %s at step %d (newest checkpoint %d), resumed on %s after %.1f s%n",
                    training.worker(), stepAtKill, newestAtKill, resumed.worker(), resumeSeconds);
        }
    }

    @Test
    void killedJudgingWorkerRerunsOnlyItsShard() throws Exception {
        try (ProcessCluster cluster = new ProcessCluster("kill-judging");
             TemporalConnection client = TemporalConnection.connect(cluster.address(), "test-client")) {
            String url = world.db.config().url();
            Map<String, Process> workers = new TreeMap<>();
            workers.put("worker-a", cluster.worker("worker-a", url, world.storeDir, "control,model", 1));
            workers.put("worker-b", cluster.worker("worker-b", url, world.storeDir, "control,model", 1));
            StringBuilder prompts = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                prompts.append("User: what is ").append(i).append(" plus ").append(i + 1).append("?\n");
            }
            Artifact pool = world.services.lineage().registerArtifact(new NewArtifact("prompt-pool",
                    world.store.putBytes(prompts.toString().getBytes(StandardCharsets.UTF_8)), null, null, null, List.of()));
            ObjectNode spec = world.spec("kill-judging");
            spec.put("heartbeatTimeoutSeconds", HEARTBEAT_SECONDS);
            spec.putArray("phases").add(PhaseNames.PREFERENCES);
            spec.put("promptPool", pool.id());
            spec.putObject("existing").put("sftModel", world.baseModel);
            spec.putObject("shards").put("judging", 4);
            spec.putObject("preferences").put("judgeItemMillis", 300);
            String id = "kill-judging-" + UUID.randomUUID();
            WorkflowStub run = start(client, id, spec);

            // Kill a worker while it judges, after at least one judge shard has finished.
            awaitRow(id, "preferences.judge", r -> r.status().equals("completed"));
            Row victim = awaitRow(id, "preferences.judge", r -> r.status().equals("running"));
            ProcessCluster.kill(workers.get(victim.worker()));
            RunResult result = run.getResult(RunResult.class);
            assertEquals("completed", world.services.lineage().run(result.runId()).orElseThrow().status());

            List<Row> judge = rows(id, "preferences.judge");
            assertEquals(4, judge.size(), "one row per shard: " + judge);
            for (Row r : judge) {
                assertEquals("completed", r.status());
                // The killed shard ran twice; no other shard reran (the killed worker may have held one more
                // running shard only if it ran two at once, which max-model-activities 1 forbids).
                assertEquals(r.shard() == victim.shard() ? 2 : 1, r.attempt(), "shard " + r.shard() + ": " + judge);
            }
            for (Row r : rows(id, "preferences.response_pairs")) {
                assertEquals(1, r.attempt(), "the response pairs reran");
            }
        }
    }

    @Test
    void databaseCutOffMidTrainingIsRetriedAndTheRunCompletes() throws Exception {
        try (ProcessCluster cluster = new ProcessCluster("db-outage");
             TemporalConnection client = TemporalConnection.connect(cluster.address(), "test-client");
             TcpProxy proxy = new TcpProxy("127.0.0.1", 5432)) {
            String viaProxy = world.db.config().url().replace(":5432/", ":" + proxy.port() + "/");
            cluster.worker("worker-a", viaProxy, world.storeDir, "control,model", 1);
            String id = "db-outage-" + UUID.randomUUID();
            WorkflowStub run = start(client, id, selfAlignSpec("db-outage", 160, 20));
            Row training = awaitRow(id, "self_align.engrave", r -> {
                try {
                    return checkpointSteps(r.id()).size() >= 2;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            proxy.cut();
            Thread.sleep(4000);
            proxy.restore();
            RunResult result = run.getResult(RunResult.class);
            assertEquals("completed", world.services.lineage().run(result.runId()).orElseThrow().status());
            List<Integer> steps = checkpointSteps(training.id());
            assertEquals(160 / 20, steps.size(), "every checkpoint once: " + steps);
            System.out.printf("db-outage: training attempts %d%n", rows(id, "self_align.engrave").get(0).attempt());
        }
    }
}
