package salmonrun.worker.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.worker.rehearsal.RehearsalActivities;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.StrictJson;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.SalmonRunWorkflow;

/** SalmonRun end to end on the Java test server with real lineage, store and rehearsal training. */
class SalmonRunIntegrationTest {
    /** The SalmonRun code version exported histories are named after (see ReplayTest in workflows). */
    static final int HISTORY_VERSION = 2;
    static Rehearsal world;
    static LocalTemporal temporal;

    @BeforeAll
    static void start() throws Exception {
        world = Rehearsal.create();
        temporal = new LocalTemporal(world);
    }

    @AfterAll
    static void stop() throws Exception {
        if (temporal != null) {
            temporal.close();
        }
        if (world != null) {
            world.close();
        }
    }

    static WorkflowClient client() {
        return temporal.connection.client();
    }

    static WorkflowStub start(String id, Object spec) {
        WorkflowStub stub = client().newUntypedWorkflowStub(SalmonRunWorkflow.TYPE,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONTROL).build());
        stub.start(spec);
        return stub;
    }

    @Test
    void fullRunThenMemoizedRerunThenForcedRerun() throws Exception {
        ObjectNode spec = world.spec("full");
        String firstId = "full-" + UUID.randomUUID();
        RunResult first = start(firstId, spec).getResult(RunResult.class);
        HistoryExport.export(client(), "v" + HISTORY_VERSION + "-full", firstId, PhaseNames.ALL.toArray(new String[0]));
        assertEquals(PhaseNames.ALL, java.util.List.copyOf(first.phases().keySet()));
        first.phases().values().forEach(p -> assertFalse(p.memoized(), p.phase() + " ran"));
        PhaseOutputs ppo = first.phases().get(PhaseNames.PPO);
        assertEquals("checkpoint", world.services.lineage().artifact(ppo.artifact("policy_model")).kind());
        assertEquals(3.0, ppo.metrics().get("iterations"));
        assertEquals("completed", world.services.lineage().run(first.runId()).orElseThrow().status());
        // One generation activity per shard, each ran once.
        for (int shard = 0; shard < 3; shard++) {
            assertEquals(1, RehearsalActivities.EXECUTIONS.get("generate/" + shard), "shard " + shard);
        }
        // Every phase-level row completed; retries never duplicate rows (idempotency keys are unique).
        assertEquals(0, world.count("SELECT count(*) FROM phase_execution WHERE status <> 'completed'"));

        Map<String, Integer> before = new HashMap<>(RehearsalActivities.EXECUTIONS);
        RunResult second = start("again-" + UUID.randomUUID(), spec).getResult(RunResult.class);
        second.phases().values().forEach(p -> assertTrue(p.memoized(), p.phase() + " memoized"));
        assertEquals(before, RehearsalActivities.EXECUTIONS, "a memoized run does no work");
        assertEquals(first.phases().get(PhaseNames.PPO).artifacts(), second.phases().get(PhaseNames.PPO).artifacts());

        ObjectNode forced = spec.deepCopy();
        forced.put("force", true);
        forced.put("phases", (String) null);
        forced.putArray("phases").add(PhaseNames.SELF_ALIGN);
        RunResult third = start("forced-" + UUID.randomUUID(), forced).getResult(RunResult.class);
        assertFalse(third.phases().get(PhaseNames.SELF_ALIGN).memoized());
        assertEquals(before.get("engrave/0") + 1, RehearsalActivities.EXECUTIONS.get("engrave/0"));
    }

    @Test
    void memoizedReuseIsRecordedAndDanglingOutputsRunAgain() throws Exception {
        ObjectNode spec = world.spec("reuse");
        spec.put("seed", 41); // keys of its own, apart from the other tests' runs
        spec.putArray("phases").add(PhaseNames.EVAL);
        String evaluate = "evaluate:base/0";
        String summarize = "summarize/0";
        RunResult first = start("reuse-1-" + UUID.randomUUID(), spec).getResult(RunResult.class);
        PhaseOutputs eval1 = first.phases().get(PhaseNames.EVAL);
        assertFalse(eval1.memoized());
        long modelStep = world.services.lineage().executionsOfRun(first.runId()).stream()
                .filter(x -> x.execution().phase().equals("eval.model")).findFirst().orElseThrow().execution().id();
        Map<String, Integer> counts = new HashMap<>(RehearsalActivities.EXECUTIONS);

        // Phase-level hit: nothing runs, and the second run records that it reused the first run's execution.
        RunResult second = start("reuse-2-" + UUID.randomUUID(), spec).getResult(RunResult.class);
        assertTrue(second.phases().get(PhaseNames.EVAL).memoized());
        assertEquals(counts, RehearsalActivities.EXECUTIONS);
        assertEquals(java.util.List.of(eval1.executionId()), reusedBy(second.runId()));

        // The summary's bytes are gone from the store: the phase runs again rather than hand out a dangling id;
        // its model step still has its output, so that step is a memo hit, recorded as reuse; the summary reruns.
        java.nio.file.Files.delete(storedPath(eval1.artifact("evaluation")));
        RunResult third = start("reuse-3-" + UUID.randomUUID(), spec).getResult(RunResult.class);
        PhaseOutputs eval3 = third.phases().get(PhaseNames.EVAL);
        assertFalse(eval3.memoized());
        assertEquals(counts.get(evaluate), RehearsalActivities.EXECUTIONS.get(evaluate), "model step memoized");
        assertEquals(counts.get(summarize) + 1, RehearsalActivities.EXECUTIONS.get(summarize), "summary ran again");
        assertEquals(eval1.artifact("evaluation:base"), eval3.artifact("evaluation:base"));
        assertTrue(reusedBy(third.runId()).contains(modelStep), reusedBy(third.runId()).toString());
        assertTrue(world.store.contains(world.services.lineage().artifact(eval3.artifact("evaluation")).sha256()));

        // The model step's output is gone too: both the phase and that step run again.
        java.nio.file.Files.delete(storedPath(eval1.artifact("evaluation:base")));
        RunResult fourth = start("reuse-4-" + UUID.randomUUID(), spec).getResult(RunResult.class);
        PhaseOutputs eval4 = fourth.phases().get(PhaseNames.EVAL);
        assertFalse(eval4.memoized());
        assertEquals(counts.get(evaluate) + 1, RehearsalActivities.EXECUTIONS.get(evaluate), "model step ran again");
        assertFalse(reusedBy(fourth.runId()).contains(modelStep));
        assertTrue(world.store.contains(world.services.lineage().artifact(eval4.artifact("evaluation:base")).sha256()));
    }

    private static java.util.List<Long> reusedBy(long runId) {
        return world.services.lineage().reusedByRun(runId).stream().map(d -> d.execution().id()).toList();
    }

    private static java.nio.file.Path storedPath(long artifactId) {
        return world.store.resolve(world.services.lineage().artifact(artifactId).sha256());
    }

    @Test
    void unknownSpecFieldFailsTheWorkflowNamingTheField() throws Exception {
        ObjectNode spec = world.spec("typo");
        spec.put("sheeds", 4);
        long t0 = System.nanoTime();
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> start("typo-" + UUID.randomUUID(), spec).getResult(RunResult.class));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(StrictJson.BAD_INPUT, cause.getType());
        assertTrue(cause.isNonRetryable());
        assertTrue(cause.getOriginalMessage().contains("unknown field 'sheeds'"), cause.getOriginalMessage());
        // It failed, rather than leaving a workflow task retrying every 10 s.
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void unknownNestedFieldAndMissingPrincipleSetAreBadInput() {
        ObjectNode nested = world.spec("nested");
        ((ObjectNode) nested.get("shards")).put("judgeing", 2);
        WorkflowFailedException e1 = assertThrows(WorkflowFailedException.class,
                () -> start("nested-" + UUID.randomUUID(), nested).getResult(RunResult.class));
        assertTrue(((ApplicationFailure) e1.getCause()).getOriginalMessage().contains("'judgeing' at $.shards"),
                e1.getCause().getMessage());

        ObjectNode missing = world.spec("missing");
        missing.put("principleSet", 987654);
        WorkflowFailedException e2 = assertThrows(WorkflowFailedException.class,
                () -> start("missing-" + UUID.randomUUID(), missing).getResult(RunResult.class));
        String message = RunFollowerMessages.root(e2);
        assertTrue(message.contains("principle set 987654 does not exist"), message);
    }

    @Test
    void rawJsonPlainPayloadStartsLikeSalmonRun() throws Exception {
        // Exactly what `temporal workflow start --type SalmonRun --input '{...}'` sends: one json/plain payload.
        String json = world.spec("raw").toString();
        String id = "raw-" + UUID.randomUUID();
        client().getWorkflowServiceStubs().blockingStub().startWorkflowExecution(StartWorkflowExecutionRequest
                .newBuilder()
                .setNamespace("default")
                .setWorkflowId(id)
                .setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(WorkflowType.newBuilder().setName("SalmonRun"))
                .setTaskQueue(TaskQueue.newBuilder().setName(TaskQueues.CONTROL))
                .setInput(Payloads.newBuilder().addPayloads(Payload.newBuilder()
                        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))))
                .build());
        RunResult result = client().newUntypedWorkflowStub(id).getResult(RunResult.class);
        assertEquals(PhaseNames.ALL, java.util.List.copyOf(result.phases().keySet()));
        assertNotNull(result.phases().get(PhaseNames.EVAL).artifacts().get("evaluation"));
        assertEquals(id, world.services.lineage().run(result.runId()).orElseThrow().workflowId());
    }

    @Test
    void cancellingARunStopsTrainingWithinAHeartbeat() throws Exception {
        ObjectNode spec = world.spec("cancel");
        spec.putArray("phases").add(PhaseNames.SELF_ALIGN);
        spec.putObject("selfAlign").put("prompts", 12).put("steps", 5000).put("checkpointEvery", 10).put("batch", 512);
        String id = "cancel-" + UUID.randomUUID();
        WorkflowStub run = start(id, spec);
        long execution = -1;
        long deadline = System.currentTimeMillis() + 60_000;
        while (execution < 0 && System.currentTimeMillis() < deadline) {
            execution = world.count("SELECT coalesce(max(e.id), -1) FROM phase_execution e JOIN run r ON r.id = e.run_id "
                    + "WHERE r.workflow_id = '" + id + "' AND e.phase = 'self_align.engrave' AND EXISTS (SELECT 1 FROM "
                    + "artifact a WHERE a.produced_by = e.id AND a.kind = 'checkpoint')");
            Thread.sleep(50);
        }
        assertTrue(execution > 0, "training never checkpointed");
        run.cancel();
        long cancelledAt = System.nanoTime();
        String status = "";
        while (!status.equals("failed") && System.nanoTime() - cancelledAt < 30_000_000_000L) {
            status = world.services.lineage().execution(execution).execution().status();
            Thread.sleep(50);
        }
        double stopSeconds = (System.nanoTime() - cancelledAt) / 1e9;
        assertEquals("failed", status, "the training execution records its cancellation");
        // Heartbeat timeout 5 s: the cancellation reaches the training on a heartbeat, at most ~0.8 x 5 s later.
        assertTrue(stopSeconds < 5 + 2, "stopped after " + stopSeconds + " s");
        long stepAtStop = world.count("SELECT max(step) FROM training_metric WHERE phase_execution_id = " + execution);
        Thread.sleep(1500);
        assertEquals(stepAtStop, world.count("SELECT max(step) FROM training_metric WHERE phase_execution_id = "
                + execution), "no training after the stop");
        assertThrows(io.temporal.client.WorkflowFailedException.class, () -> run.getResult(RunResult.class));
        long runId = world.services.lineage().runByWorkflowId(id).orElseThrow().id();
        String runStatus = "";
        while (!runStatus.equals("cancelled") && System.nanoTime() - cancelledAt < 30_000_000_000L) {
            runStatus = world.services.lineage().run(runId).orElseThrow().status();
            Thread.sleep(50);
        }
        assertEquals("cancelled", runStatus);
    }
}
