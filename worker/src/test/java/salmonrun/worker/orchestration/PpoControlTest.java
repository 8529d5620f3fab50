package salmonrun.worker.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.AuditEvent;
import salmonrun.activities.lineage.NewArtifact;
import salmonrun.activities.ppo.PrincipleChanges;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.PhaseProgress;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.ppo.PpoWorkflow;
import salmonrun.workflows.ppo.PrincipleChange;
import salmonrun.workflows.ppo.PrincipleChangeReceipt;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.RunState;
import salmonrun.workflows.run.SalmonRunWorkflow;

/**
 * A PPO phase started alone on existing artifacts: pause between rollouts, an RL-principle change through the
 * Update (audited, effective at the next rollout), resume, continue-as-new every two iterations.
 */
class PpoControlTest {
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

    @Test
    void pauseChangePrinciplesResumeContinueAsNew() throws Exception {
        WorkflowClient client = temporal.connection.client();
        Artifact pool = world.services.lineage().registerArtifact(new NewArtifact("prompt-pool",
                world.store.putBytes("User: what is 1 plus 2?\nUser: what is 3 plus 4?\n".getBytes(StandardCharsets.UTF_8)),
                null, null, null, List.of()));
        ObjectNode spec = world.spec("ppo-alone");
        spec.putArray("phases").add(PhaseNames.PPO);
        spec.put("promptPool", pool.id());
        spec.putObject("existing").put("sftModel", world.baseModel).put("rewardModel", world.baseModel);
        spec.putObject("ppoLoop").put("iterations", 5).put("iterationsPerRun", 2);
        spec.putObject("ppo").put("stepsPerIteration", 40).put("checkpointEvery", 20).put("batch", 256);
        String id = "ppo-" + UUID.randomUUID();
        WorkflowStub run = client.newUntypedWorkflowStub(SalmonRunWorkflow.TYPE,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONTROL).build());
        run.start(spec);
        String childId = id + "-" + PhaseNames.PPO;

        // Wait for the first rollout to finish, then pause through the parent (it forwards to the phase).
        PhaseProgress p = awaitProgress(client, childId, 1);
        run.signal("pause", "operator inspects rollouts");
        RunState state = run.query("state", RunState.class);
        assertTrue(state.paused());
        // The iteration in flight holds between its training steps; nothing moves.
        Thread.sleep(2500);
        long stepWhilePaused = progress(client, childId).step();
        Thread.sleep(1500);
        assertEquals(stepWhilePaused, progress(client, childId).step(), "no rollout while paused");
        assertTrue(progress(client, childId).paused());

        PpoWorkflow ppo = client.newWorkflowStub(PpoWorkflow.class, childId);
        assertThrows(WorkflowUpdateException.class, () -> ppo.changeRlPrinciples(
                new PrincipleChange("alice", " ", world.principleSetV2)), "a reason is required");
        PrincipleChangeReceipt receipt = ppo.changeRlPrinciples(new PrincipleChange("alice",
                "rollouts too curt; try v2 politeness", world.principleSetV2));
        // The rollout in flight when the pause came (held between its training steps) keeps its principles.
        assertTrue(receipt.effectiveIteration() == stepWhilePaused || receipt.effectiveIteration() == stepWhilePaused + 1,
                "effective iteration " + receipt.effectiveIteration() + " vs " + stepWhilePaused + " done");
        assertEquals(world.principleSet, receipt.fromPrincipleSet());

        run.signal("resume");
        RunResult result = run.getResult(RunResult.class);
        HistoryExport.export(client, "v" + SalmonRunIntegrationTest.HISTORY_VERSION + "-ppo", id, PhaseNames.PPO);
        assertEquals(5.0, result.phases().get(PhaseNames.PPO).metrics().get("iterations"));
        assertEquals((double) world.principleSetV2,
                result.phases().get(PhaseNames.PPO).metrics().get("final_rl_principle_set"));

        // Rollouts before the effective iteration used v1, from it on v2.
        for (Artifact a : world.services.lineage().artifactsOfRun(result.runId())) {
            if (a.kind().equals("rollouts")) {
                int iteration = a.metadata().get("iteration").asInt();
                long expected = iteration < receipt.effectiveIteration() ? world.principleSet : world.principleSetV2;
                assertEquals(expected, a.metadata().get("rl_principle_set").asLong(), "iteration " + iteration);
            }
        }
        // Who, when, why in the audit log, once.
        List<AuditEvent> events = world.services.audit().events(result.runId()).stream()
                .filter(e -> e.action().equals(PrincipleChanges.ACTION)).toList();
        assertEquals(1, events.size());
        assertEquals("alice", events.get(0).actor());
        assertEquals("rollouts too curt; try v2 politeness", events.get(0).reason());
        assertEquals(receipt.auditEventId(), events.get(0).id());
        // Five iterations, two per workflow run: three runs of the Ppo workflow.
        Set<String> runs = new TreeSet<>();
        try (var c = world.db.connection(); var s = c.prepareStatement(
                "SELECT idempotency_key FROM phase_execution WHERE phase = 'ppo.iteration'"); var rs = s.executeQuery()) {
            while (rs.next()) {
                runs.add(rs.getString(1).split("/")[1]);
            }
        }
        assertEquals(3, runs.size(), "continue-as-new every two iterations: " + runs);
    }

    static PhaseProgress progress(WorkflowClient client, String childId) {
        return client.newUntypedWorkflowStub(childId).query("progress", PhaseProgress.class);
    }

    static PhaseProgress awaitProgress(WorkflowClient client, String childId, long step) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                PhaseProgress p = progress(client, childId);
                if ("iterate".equals(p.stage()) && p.step() >= step) {
                    return p;
                }
            } catch (RuntimeException notYet) {
                // the child has not started yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("PPO never reached iteration " + step);
    }
}
