package salmonrun.worker.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.ProductionActivities;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.AuditEvent;
import salmonrun.activities.ppo.PrincipleChanges;
import salmonrun.activities.ppo.RlPrinciplesInForce;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.NewArtifact;
import salmonrun.activities.lineage.TestDatabases;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ModelConfig;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.BpeTrainer;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.ExemplarRepository;
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.salmon.PhaseContext;
import salmonrun.activities.salmon.Prompt;
import salmonrun.activities.salmon.PromptPoolPhase;
import salmonrun.activities.salmon.SelfAlignPrompt;
import salmonrun.worker.rehearsal.RehearsalActivities;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.ppo.PpoWorkflow;
import salmonrun.workflows.ppo.PrincipleChange;
import salmonrun.workflows.ppo.PrincipleChangeReceipt;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.SalmonRunWorkflow;

/**
 * The production activities (SALMON phase classes over the DJL engine) under SalmonRun: self_align and
 * preferences on a tiny random Llama checkpoint, with sandbox prompts; and a mistyped phase-config field failing
 * the run up front as bad input.
 */
class ProductionPhasesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Database db;
    static Path storeDir;
    static Path scratch;
    static ActivityServices services;
    static TestServer.PortBoundTestServer temporal;
    static TemporalConnection connection;
    static SalmonWorker worker;
    static long principleSet;
    static long exemplarSet;
    static long baseModel;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.createFresh();
        storeDir = Files.createTempDirectory("salmon-prod-store-");
        scratch = Files.createTempDirectory("salmon-prod-scratch-");
        services = ActivityServices.of(db, new ArtifactStore(storeDir));
        PrincipleSet principles = new PrincipleSet(null, "tiny", null, List.of(
                new Principle("Correct", "Give the right answer.", null, 1, Role.SELF_ALIGN),
                new Principle("Brief", "Keep it short.", null, 1, Role.SELF_ALIGN),
                new Principle("Honest", "Say when you do not know.", "Pretends to know.", 1, Role.LABELLING),
                new Principle("Concise", "The answer is short.", "The answer rambles.", 1, Role.LABELLING),
                new Principle("Polite", "The answer is polite.", "The answer is rude.", 1, Role.RL)));
        principleSet = new PrincipleRepository(db).importSet(principles, "test", "orchestration test").id();
        exemplarSet = new ExemplarRepository(db).importSet(new ExemplarSet(null, "tiny-ex", null, List.of(
                new Exemplar("What is 2 plus 3?", SelfAlignPrompt.THOUGHTS_PREFIX
                        + " A sum. I should follow rules 1 (Correct).", "2 plus 3 is 5."))), "test").id();
        baseModel = tinyCheckpoint();
        int port = LocalTemporal.freePort();
        temporal = TestServer.createPortBoundServer(port);
        connection = TemporalConnection.connect("127.0.0.1:" + port, "prod-test-worker");
        worker = SalmonWorker.start(connection, new SalmonWorker.Settings(Set.of(TaskQueues.CONTROL, TaskQueues.MODEL),
                1, null), ProductionActivities.create(services, 500));
    }

    /** A random 2-layer Llama with a BPE tokenizer trained on sandbox-like text, registered as a checkpoint. */
    static long tinyCheckpoint() throws Exception {
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            corpus.add("# Salmon\n\n## General Rules\n\n1 (Correct). Give the right answer.\n\n### User\nWhat is " + i
                    + " plus " + (i + 1) + "?\n\n### Salmon\nThe answer is " + (2 * i + 1) + ". I am a careful, "
                    + "honest and helpful assistant. Which answer is better, (a) or (b)?");
        }
        Path tok = scratch.resolve("tokenizer.json");
        BpeTrainer.trainAndWrite(corpus, 320, List.of("<|endoftext|>", "<pad>"), 2, tok);
        int vocab;
        try (var t = salmonrun.activities.model.tokenizer.TextTokenizer.load(tok)) {
            vocab = t.vocabSize();
        }
        Path dir = Files.createDirectories(scratch.resolve("base"));
        try (LlamaModel m = LlamaModel.random(ModelConfig.of(vocab, 32, 2, 4, 2, 64, 512, false), 1, Device.cpu())) {
            Checkpoint.save(dir, m, tok, null);
        }
        return services.lineage().registerArtifact(new NewArtifact("checkpoint", services.store().putDirectory(dir),
                JSON.createObjectNode().put("note", "tiny random base"), null, null, List.of())).id();
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (connection != null) {
            connection.close();
        }
        if (temporal != null) {
            temporal.close();
        }
        if (db != null) {
            TestDatabases.drop(db);
        }
        RehearsalActivities.deleteTree(storeDir);
        RehearsalActivities.deleteTree(scratch);
    }

    static ObjectNode spec() {
        ObjectNode s = JSON.createObjectNode();
        s.put("name", "production-phases");
        s.put("baseModel", baseModel);
        s.put("principleSet", principleSet);
        s.put("exemplarSet", exemplarSet);
        s.put("heartbeatTimeoutSeconds", 30);
        s.putArray("phases").add(PhaseNames.SELF_ALIGN).add(PhaseNames.PREFERENCES);
        s.putObject("shards").put("generation", 2).put("judging", 2);
        ObjectNode sa = s.putObject("selfAlign");
        sa.putObject("promptPool").put("sandboxPrompts", 6).put("minTokens", 1).put("maxTokens", 200);
        sa.putObject("generation").put("maxNewTokens", 8).put("batchSize", 4).put("instructionReserve", 32);
        sa.putObject("filter").put("maxBackgroundFraction", 1.0);
        sa.putObject("engraving").put("epochs", 1).put("batchRows", 2).put("maxLength", 256).put("checkpointEvery", 2);
        ObjectNode pr = s.putObject("preferences");
        pr.putObject("pairs").put("maxNewTokens", 6).put("batchSize", 6).put("minChars", 0);
        pr.putObject("judging").put("batchSize", 4);
        // An untrained judge has a strong position bias; the bias-cancelling rule still yields labels.
        pr.putObject("aggregation").put("rule", "MEAN");
        return s;
    }

    static WorkflowStub start(ObjectNode spec) {
        WorkflowStub stub = connection.client().newUntypedWorkflowStub(SalmonRunWorkflow.TYPE, WorkflowOptions
                .newBuilder().setWorkflowId("prod-" + UUID.randomUUID()).setTaskQueue(TaskQueues.CONTROL).build());
        stub.start(spec);
        return stub;
    }

    static boolean chainMentions(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void ppoAndEvalRunOnTheModelEngineWithPpoInSegments() {
        long pool = PromptPoolPhase.run(new PhaseContext(services.lineage(), services.store(),
                services.lineage().startExecution(new ExecutionStart(null, "test.prompt_pool", "pool-" + UUID.randomUUID(),
                        "0".repeat(64), "test", null, null, JSON.createObjectNode())).id(), null, null),
                new PromptPoolPhase.Config(1, 200), List.of(), List.of(new PromptPoolPhase.Source("t", List.of(
                        Prompt.of("What is 4 plus 4?"), Prompt.of("Say hello."), Prompt.of("Name a colour."),
                        Prompt.of("What is 7 minus 2?"), Prompt.of("What is 1 plus 1?"), Prompt.of("Say thanks."),
                        Prompt.of("Name a fruit."), Prompt.of("What is 9 minus 3?")))), baseModel).artifactId();
        ObjectNode spec = spec();
        // The reward model is the base decoder read as a scalar-head model (what RewardModelPhase starts from);
        // RewardModelPhase itself is covered by the phases II tests.
        spec.putArray("phases").add(PhaseNames.PPO).add(PhaseNames.EVAL);
        spec.put("promptPool", pool);
        spec.putObject("existing").put("sftModel", baseModel).put("rewardModel", baseModel);
        spec.putObject("ppoLoop").put("iterations", 2).put("iterationsPerRun", 1);
        spec.putObject("rewardModel").put("batchPairs", 2).put("microBatchPairs", 2).put("heldOutFraction", 0.0)
                .put("maxTokens", 160).put("maxInstructionTokens", 32).put("maxResponseTokens", 64)
                .put("checkpointEvery", 1).put("maxSteps", 2).put("learningRate", 1e-3).put("schedule", "constant")
                .put("warmupRatio", 0.0);
        spec.putObject("ppo").put("rolloutBatchSize", 4).put("stepBatchSize", 2).put("microBatchSize", 2)
                .put("maxSteps", 2).put("learningRate", 1e-3).put("warmupSteps", 0).put("schedule", "constant")
                .put("responseMaxTokens", 6).put("rewardMaxTokens", 160).put("checkpointEvery", 1)
                .put("segmentSteps", 1).put("ppoEpochs", 1);
        ObjectNode eval = spec.putObject("eval").put("items", 2);
        eval.putObject("settings").put("maxNewTokens", 4).put("microBatch", 2);
        RunResult result = start(spec).getResult(RunResult.class);
        PhaseOutputs ppo = result.phases().get(PhaseNames.PPO);
        assertEquals("checkpoint", services.lineage().artifact(ppo.artifact("policy_model")).kind());
        // Both PPO iterations worked on one lineage execution, resuming from its newest checkpoint.
        long ppoRows = services.lineage().executionsOfRun(result.runId()).stream()
                .filter(x -> x.execution().phase().equals("ppo.train")).count();
        assertEquals(1, ppoRows);
        assertEquals(2, services.lineage().executionsOfRun(result.runId()).stream()
                .filter(x -> x.execution().phase().equals("ppo.train")).findFirst().orElseThrow().execution().attempt());
        PhaseOutputs eval2 = result.phases().get(PhaseNames.EVAL);
        assertTrue(eval2.artifacts().containsKey("evaluation:ppo"), eval2.artifacts().toString());
        assertTrue(eval2.artifacts().containsKey("evaluation:base"), eval2.artifacts().toString());
        // The run has a reward model and an SFT model: every evaluation carries the RM score under the run's RL
        // principles and the KL to the SFT reference, and its lineage names both.
        for (String label : List.of("base", "ppo")) {
            Double rm = eval2.metrics().get(label + ".rm_score");
            Double kl = eval2.metrics().get(label + ".kl");
            assertTrue(rm != null && Double.isFinite(rm), label + " rm_score: " + eval2.metrics());
            assertTrue(kl != null && Double.isFinite(kl), label + " kl: " + eval2.metrics());
            var report = services.lineage().artifact(eval2.artifact("evaluation:" + label)).metadata().path("report");
            assertEquals(rm, report.path("rmScore").asDouble(), 1e-12, report.toString());
            assertEquals(kl, report.path("kl").asDouble(), 1e-12, report.toString());
            var roles = services.lineage().inputsOf(eval2.artifact("evaluation:" + label)).stream()
                    .map(e -> e.role() + "=" + e.inputArtifactId()).toList();
            assertTrue(roles.contains("reward-model=" + baseModel) && roles.contains("reference=" + baseModel),
                    roles.toString());
        }
        // The base model IS the SFT reference here, so its KL is zero; PPO moved the policy away from it.
        assertEquals(0.0, eval2.metrics().get("base.kl"), 1e-6);
        assertTrue(Math.abs(eval2.metrics().get("ppo.kl")) > 1e-6, eval2.metrics().toString());
    }

    /** A prompt-pool artifact of these user turns. */
    static long pool(String... turns) {
        return PromptPoolPhase.run(new PhaseContext(services.lineage(), services.store(),
                services.lineage().startExecution(new ExecutionStart(null, "test.prompt_pool", "pool-" + UUID.randomUUID(),
                        "0".repeat(64), "test", null, null, JSON.createObjectNode())).id(), null, null),
                new PromptPoolPhase.Config(1, 200), List.of(), List.of(new PromptPoolPhase.Source("t",
                        java.util.Arrays.stream(turns).map(Prompt::of).toList())), baseModel).artifactId();
    }

    @Test
    void principleChangeLandsAtTheNextRolloutInsideASegmentAndAfterARetriedAttempt() throws Exception {
        // v2 shares no RL principle with v1 ("Polite"), so the sampled principles show which set scored a rollout.
        long v2 = new PrincipleRepository(db).importSet(new PrincipleSet(null, "tiny-v2", null, List.of(
                new Principle("Cheerful", "The answer is cheerful.", "The answer is glum.", 1, Role.RL),
                new Principle("Exact", "The answer gives exact numbers.", "The answer is vague.", 1, Role.RL))),
                "test", "v2 RL principles").id();
        ObjectNode spec = spec();
        spec.putArray("phases").add(PhaseNames.PPO);
        spec.put("promptPool", pool("What is 4 plus 4?", "Say hello.", "Name a colour.", "What is 7 minus 2?",
                "What is 1 plus 1?", "Say thanks.", "Name a fruit.", "What is 9 minus 3?"));
        spec.put("heartbeatTimeoutSeconds", 5);
        spec.putObject("existing").put("sftModel", baseModel).put("rewardModel", baseModel);
        // Two segments of eight PPO steps on one lineage execution, a checkpoint after every step.
        spec.putObject("ppoLoop").put("iterations", 2).put("iterationsPerRun", 5);
        spec.putObject("ppo").put("rolloutBatchSize", 2).put("stepBatchSize", 2).put("microBatchSize", 2)
                .put("epochs", 4).put("maxSteps", 16).put("learningRate", 1e-3).put("warmupSteps", 0)
                .put("schedule", "constant").put("responseMaxTokens", 6).put("rewardMaxTokens", 160)
                .put("checkpointEvery", 1).put("segmentSteps", 8).put("ppoEpochs", 1);
        WorkflowStub run = start(spec);
        String workflowId = run.getExecution().getWorkflowId();
        PpoWorkflow ppo = connection.client().newWorkflowStub(PpoWorkflow.class, workflowId + "-" + PhaseNames.PPO);

        // Change 1 while the first segment holds between two steps (paused), then the worker dies: another worker
        // retries the attempt with the same call, which still names the spec's set, resumes from the newest
        // checkpoint and must roll out under the set in force.
        long train = awaitTraining(workflowId, 1);
        int held1 = holdBetweenSteps(run, train);
        PrincipleChangeReceipt toV2 = ppo.changeRlPrinciples(new PrincipleChange("alice", "rollouts too rude", v2));
        assertEquals(principleSet, toV2.fromPrincipleSet());
        int before1 = stepsBefore(train, toV2.auditEventId());
        assertTrue(before1 >= 1 && before1 < 8, "change 1 after step " + before1 + ": not inside segment 1 (steps 1-8)");
        worker.factory().shutdownNow();
        worker.factory().awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        int checkpointAtDeath = services.lineage().newestArtifact(train, "checkpoint").orElseThrow().metadata()
                .get("step").asInt();
        worker = SalmonWorker.start(connection, new SalmonWorker.Settings(Set.of(TaskQueues.CONTROL, TaskQueues.MODEL),
                1, null), ProductionActivities.create(services, 500));
        run.signal("resume");

        // Change 2 (back to v1) while the resumed attempt runs, no crash: it lands at that attempt's next rollout.
        awaitTraining(workflowId, before1 + 1);
        int held2 = holdBetweenSteps(run, train);
        PrincipleChangeReceipt back = ppo.changeRlPrinciples(new PrincipleChange("bob", "v2 made it worse", principleSet));
        int before2 = stepsBefore(train, back.auditEventId());
        assertTrue(before2 < 16, "change 2 after the last step");
        run.signal("resume");
        RunResult result = run.getResult(RunResult.class);
        assertEquals((double) principleSet, result.phases().get(PhaseNames.PPO).metrics().get("final_rl_principle_set"));
        assertTrue(services.lineage().execution(train).execution().attempt() >= 3,
                "two segments plus the retried attempt on one execution");
        String where = "held at " + held1 + "/" + held2 + ", changes after steps " + before1 + "/" + before2
                + ", checkpoint at death " + checkpointAtDeath;
        System.out.println("RL principle changes: " + where);

        // The audit log says who changed what and why, and at which PPO step each change took effect: the rollout
        // right after the change was recorded.
        List<AuditEvent> events = services.audit().events(result.runId());
        List<AuditEvent> changed = events.stream().filter(e -> e.action().equals(PrincipleChanges.ACTION)).toList();
        assertEquals(List.of("alice", "bob"), changed.stream().map(AuditEvent::actor).toList());
        assertEquals("rollouts too rude", changed.get(0).reason());
        List<AuditEvent> applied = events.stream().filter(e -> e.action().equals(RlPrinciplesInForce.APPLIED)).toList();
        assertEquals(2, applied.size(), applied.toString());
        assertEquals(toV2.auditEventId(), applied.get(0).payload().get("change_event").asLong());
        assertEquals(before1 + 1, applied.get(0).payload().get("step").asInt(), where);
        assertEquals(checkpointAtDeath + 1, applied.get(0).payload().get("step").asInt(),
                "the retried attempt's first rollout used the set in force; " + where);
        assertEquals(back.auditEventId(), applied.get(1).payload().get("change_event").asLong());
        assertEquals(before2 + 1, applied.get(1).payload().get("step").asInt(), where);
        assertTrue((before2 + 1) % 8 != 1, "change 2 landed inside a segment, not at its start; " + where);

        // Every step's rollouts record the set they were scored under and the principles sampled from it.
        Map<Integer, com.fasterxml.jackson.databind.JsonNode> rollouts = new java.util.TreeMap<>();
        for (var a : services.lineage().artifactsOfRun(result.runId())) {
            if (a.kind().equals("rollouts") && a.metadata().has("principle_set")) {
                assertNull(rollouts.put(a.metadata().get("step").asInt(), a.metadata()), "one rollouts artifact per step");
            }
        }
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 16).boxed().toList(), List.copyOf(rollouts.keySet()));
        Map<Integer, Long> metricSet = new java.util.TreeMap<>();
        services.lineage().trainingMetrics(train).forEach(m -> metricSet.put(m.step(), m.metrics().get("rl_principle_set").asLong()));
        for (var e : rollouts.entrySet()) {
            int step = e.getKey();
            boolean underV2 = step > before1 && step <= before2;
            long expected = underV2 ? v2 : principleSet;
            assertEquals(expected, e.getValue().get("principle_set").get("id").asLong(), "step " + step + "; " + where);
            assertEquals(expected, metricSet.get(step), "training metric of step " + step);
            Set<String> sampled = new java.util.TreeSet<>();
            e.getValue().get("principle_counts").fieldNames().forEachRemaining(sampled::add);
            assertTrue(underV2 ? Set.of("Cheerful", "Exact").containsAll(sampled) && !sampled.isEmpty()
                    : sampled.equals(Set.of("Polite")), "step " + step + " sampled " + sampled);
        }
    }

    /** The ppo.train execution of the run once it has recorded {@code step}. */
    static long awaitTraining(String workflowId, int step) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            long train = trainExecution(workflowId);
            if (train > 0 && maxStep(train) >= step) {
                return train;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("PPO never reached step " + step);
    }

    /**
     * Pauses the run and waits until training holds: no new step for three times the slowest step so far (at
     * least 4 s). The pause reaches the activity through its throttled reports, so it holds a step or so later.
     */
    static int holdBetweenSteps(WorkflowStub run, long train) throws Exception {
        run.signal("pause", "inspect rollouts");
        int held = maxStep(train);
        long since = System.currentTimeMillis();
        long deadline = since + 180_000;
        while (System.currentTimeMillis() < deadline) {
            long window = Math.max(4000, 3 * slowestStepMillis(train));
            if (System.currentTimeMillis() - since >= window) {
                return held;
            }
            Thread.sleep(200);
            int now = maxStep(train);
            if (now != held) {
                held = now;
                since = System.currentTimeMillis();
            }
        }
        throw new AssertionError("training never held after the pause");
    }

    static long slowestStepMillis(long train) throws java.sql.SQLException {
        return queryLong("SELECT coalesce(max(d), 0)::bigint FROM (SELECT extract(epoch FROM recorded_at - lag(recorded_at) "
                + "OVER (ORDER BY step)) * 1000 AS d FROM training_metric WHERE phase_execution_id = " + train + ") x");
    }

    /** The newest step whose figures were recorded before the audit event (PostgreSQL and the JVM share a clock). */
    static int stepsBefore(long train, long auditEventId) throws java.sql.SQLException {
        return (int) queryLong("SELECT coalesce(max(step), 0) FROM training_metric WHERE phase_execution_id = " + train
                + " AND recorded_at < (SELECT created_at FROM audit_event WHERE id = " + auditEventId + ")");
    }

    static long queryLong(String sql) throws java.sql.SQLException {
        try (var c = db.connection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long trainExecution(String workflowId) {
        return services.lineage().runByWorkflowId(workflowId).map(r -> services.lineage().executionsOfRun(r.id()).stream()
                .filter(x -> x.execution().phase().equals("ppo.train")).mapToLong(x -> x.execution().id()).findFirst()
                .orElse(-1L)).orElse(-1L);
    }

    static int maxStep(long execution) {
        return services.lineage().trainingMetrics(execution).stream().mapToInt(m -> m.step()).max().orElse(0);
    }

    @Test
    void preferencesRunOnTheModelEngineWithJudgingFannedOut() {
        long pool = PromptPoolPhase.run(new PhaseContext(services.lineage(), services.store(),
                services.lineage().startExecution(new ExecutionStart(null, "test.prompt_pool", "pool-" + UUID.randomUUID(),
                        "0".repeat(64), "test", null, null, JSON.createObjectNode())).id(), null, null),
                new PromptPoolPhase.Config(1, 200), List.of(), List.of(new PromptPoolPhase.Source("t", List.of(
                        Prompt.of("What is 4 plus 4?"), Prompt.of("Say hello."), Prompt.of("Name a colour."),
                        Prompt.of("What is 7 minus 2?")))), baseModel).artifactId();
        ObjectNode spec = spec();
        spec.putArray("phases").add(PhaseNames.PREFERENCES);
        spec.put("promptPool", pool);
        spec.putObject("existing").put("sftModel", baseModel);
        RunResult result = start(spec).getResult(RunResult.class);
        PhaseOutputs pr = result.phases().get(PhaseNames.PREFERENCES);
        assertEquals("preference-dataset", services.lineage().artifact(pr.artifact("preference_data")).kind());
        assertEquals("response-pairs", services.lineage().artifact(pr.artifact("response_pairs")).kind());
        // Two judging shards, one execution row each, all inputs traced in lineage.
        assertTrue(services.lineage().ancestors(pr.artifact("preference_data")).stream()
                .filter(a -> a.kind().equals("judgement-shard")).count() == 2);
    }

    @Test
    void selfAlignOnAnUntrainedModelFailsOnceWithTheFiltersReason() {
        // A random model never writes the internal-thoughts prefix, so the filter keeps nothing: the phase's
        // IllegalArgumentException is bad input, reported at once, not retried.
        long t0 = System.nanoTime();
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> start(spec()).getResult(RunResult.class));
        assertTrue(chainMentions(e, "nothing to engrave"), RunFollowerMessages.root(e));
        assertTrue(chainMentions(e, "BadInput") || chainMentions(e, "nothing to engrave"));
        assertEquals(1, services.lineage().executionsOfRun(services.lineage().runByWorkflowId(
                e.getExecution().getWorkflowId()).orElseThrow().id()).stream()
                .filter(x -> x.execution().phase().equals("self_align.filter")).mapToInt(x -> x.execution().attempt())
                .sum(), "the filter ran once");
        assertTrue((System.nanoTime() - t0) / 1e9 < 120);
    }

    @Test
    void mistypedPhaseConfigFieldFailsBeforeAnyWork() {
        ObjectNode spec = spec();
        ((ObjectNode) spec.get("selfAlign").get("engraving")).put("epochz", 2);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> start(spec).getResult(RunResult.class));
        assertTrue(chainMentions(e, "selfAlign.engraving: unknown field 'epochz'"), RunFollowerMessages.root(e));
        assertEquals(0, services.lineage().executionsOfRun(services.lineage().runByWorkflowId(
                e.getExecution().getWorkflowId()).orElseThrow().id()).size(), "no phase started");
    }
}
