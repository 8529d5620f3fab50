package salmonrun.worker.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.ProductionActivities;
import salmonrun.activities.lineage.ArtifactStore;
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
