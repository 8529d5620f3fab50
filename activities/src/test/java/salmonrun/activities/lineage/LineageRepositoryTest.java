package salmonrun.activities.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageRepositoryTest {
    private static final int THREADS = 6;
    private static Database db;

    @TempDir
    static Path tmp;

    private static ArtifactStore store;
    private static LineageRepository repo;

    @BeforeAll
    static void setUp() {
        db = TestDatabases.createFresh();
        store = new ArtifactStore(tmp.resolve("store"));
        repo = new LineageRepository(db, store);
    }

    @AfterAll
    static void tearDown() {
        TestDatabases.drop(db);
    }

    @Test
    void upsertRunIsIdempotentAndStatusIsChecked() {
        long a = repo.upsertRun("wf-upsert", json("preset", "tiny"), "alice");
        long b = repo.upsertRun("wf-upsert", json("preset", "other"), "bob");
        assertEquals(a, b);
        Run run = repo.run(a).orElseThrow();
        assertEquals("tiny", run.spec().get("preset").asText(), "the first spec is kept");
        repo.setRunStatus(a, "completed");
        assertTrue(repo.runByWorkflowId("wf-upsert").orElseThrow().finishedAt() != null);
        assertThrows(IllegalArgumentException.class, () -> repo.setRunStatus(a, "done"));
        assertThrows(IllegalArgumentException.class, () -> repo.setRunStatus(a + 1000, "failed"));
    }

    @Test
    void concurrentRetriesOfOneExecutionYieldOneRow() throws Exception {
        long run = repo.upsertRun("wf-concurrent-exec", json("p", "x"), "alice");
        String key = ExecutionKeys.of("sft", "v1", json("lr", "0.001"), List.of(), null);
        ExecutionStart start = new ExecutionStart(run, "sft", "wf-concurrent-exec/activity-7", key, "worker-a",
                null, null, json("lr", "0.001"));
        List<PhaseExecution> results = race(() -> repo.startExecution(start));
        Set<Long> ids = results.stream().map(PhaseExecution::id).collect(Collectors.toSet());
        assertEquals(1, ids.size(), "every retry must get the same row");
        Set<Integer> attempts = results.stream().map(PhaseExecution::attempt).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(THREADS, attempts.size(), "each attempt is counted once: " + attempts);
        assertEquals(1, count("SELECT count(*) FROM phase_execution WHERE idempotency_key = 'wf-concurrent-exec/activity-7'"));
    }

    @Test
    void completedExecutionStaysCompletedOnRetryAndIsMemoized() throws Exception {
        String key = ExecutionKeys.of("prefs", "v1", json("n", "4"), List.of("aa".repeat(32)), "bb".repeat(32));
        ExecutionStart start = new ExecutionStart(null, "prefs", "wf-memo/activity-1", key, "w1", null, null, null);
        PhaseExecution e = repo.startExecution(start);
        assertTrue(repo.findCompleted(key).isEmpty());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> repo.completeExecution(e.id(), Map.of("dataset", 987_654L), null));
        assertTrue(unknown.getMessage().contains("987654"), unknown.getMessage());
        assertEquals("running", repo.execution(e.id()).execution().status(), "a refused completion changes nothing");
        Path pairs = tmp.resolve("pairs.jsonl");
        java.nio.file.Files.writeString(pairs, "{\"chosen\":\"a\"}\n");
        Artifact dataset = repo.registerArtifact(new NewArtifact("preference-dataset", store.putFile(pairs), null,
                e.id(), null, List.of()));
        repo.completeExecution(e.id(), Map.of("dataset", dataset.id()), json("pairs", "4"));
        repo.failExecution(e.id(), "a late duplicate failed"); // must not undo the completion
        PhaseExecution retry = repo.startExecution(start);
        assertEquals(e.id(), retry.id());
        assertEquals("completed", retry.status());
        assertEquals(2, retry.attempt());
        assertEquals(Map.of("dataset", dataset.id()), retry.outputs());
        PhaseExecution memo = repo.findCompleted(key).orElseThrow();
        assertEquals(e.id(), memo.id());
        assertEquals("4", memo.metrics().get("pairs").asText());
        assertTrue(repo.outputsAvailable(memo));
        // the same lineage seen through a store that lacks the bytes (another machine's SALMON_STORE)
        LineageRepository elsewhere = new LineageRepository(db, new ArtifactStore(tmp.resolve("empty-store")));
        assertFalse(elsewhere.outputsAvailable(memo), "memoized outputs whose bytes are gone cannot be reused");
    }

    @Test
    void reuseOfAMemoizedExecutionIsRecordedOnce() {
        long first = repo.upsertRun("wf-reuse-1", json("p", "x"), "alice");
        long second = repo.upsertRun("wf-reuse-2", json("p", "x"), "alice");
        String key = ExecutionKeys.of("sft", "v1", json("reuse", "yes"), List.of(), null);
        PhaseExecution e = repo.startExecution(new ExecutionStart(first, "sft", "wf-reuse-1/sft", key, "w", null,
                null, null));
        IllegalArgumentException running = assertThrows(IllegalArgumentException.class,
                () -> repo.recordReuse(second, e.id()));
        assertTrue(running.getMessage().contains("running"), running.getMessage());
        repo.completeExecution(e.id(), Map.of(), null);
        repo.recordReuse(second, e.id());
        repo.recordReuse(second, e.id()); // a retried activity records it again: still one row
        assertEquals(List.of(e.id()), repo.reusedByRun(second).stream().map(d -> d.execution().id()).toList());
        assertEquals(List.of(), repo.reusedByRun(first));
        assertThrows(IllegalArgumentException.class, () -> repo.recordReuse(second + 1000, e.id()));
    }

    @Test
    void failedExecutionIsRetriedAsRunning() {
        String key = ExecutionKeys.of("ppo", "v1", null, List.of(), null);
        ExecutionStart start = new ExecutionStart(null, "ppo", "wf-fail/activity-1", key, "w1", null, null, null);
        PhaseExecution e = repo.startExecution(start);
        repo.failExecution(e.id(), "out of memory");
        ExecutionDetail failed = repo.execution(e.id());
        assertEquals("failed", failed.execution().status());
        assertEquals("out of memory", failed.error());
        PhaseExecution retry = repo.startExecution(start);
        assertEquals("running", retry.status());
        assertEquals(2, retry.attempt());
        assertEquals(null, repo.execution(e.id()).error());
    }

    @Test
    void idempotencyKeyReusedForOtherWorkIsRefused() {
        String key1 = ExecutionKeys.of("sft", "v1", null, List.of(), null);
        String key2 = ExecutionKeys.of("sft", "v2", null, List.of(), null);
        repo.startExecution(new ExecutionStart(null, "sft", "wf-clash/a", key1, "w", null, null, null));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> repo.startExecution(new ExecutionStart(null, "sft", "wf-clash/a", key2, "w", null, null, null)));
        assertTrue(e.getMessage().contains("wf-clash/a"), e.getMessage());
        assertEquals(1, repo.startExecution(new ExecutionStart(null, "sft", "wf-clash/b", key1, "w", null, null, null))
                .attempt());
    }

    @Test
    void concurrentArtifactRegistrationYieldsOneRowAndOneEdgeSet() throws Exception {
        PhaseExecution producer = execution("wf-concurrent-art/a");
        Artifact input = repo.registerArtifact(new NewArtifact("prompt-pool", put("prompts"), null, null, null, List.of()));
        StoredObject shard = put("shard bytes");
        NewArtifact a = new NewArtifact("self-align-shard", shard, json("rows", "10"), producer.id(), null,
                List.of(new ArtifactEdge(input.id(), "prompts")));
        List<Artifact> results = race(() -> repo.registerArtifact(a));
        assertEquals(1, results.stream().map(Artifact::id).distinct().count());
        assertEquals(1, count("SELECT count(*) FROM artifact WHERE sha256 = '" + shard.sha256() + "'"));
        assertEquals(1, count("SELECT count(*) FROM artifact_input WHERE artifact_id = " + results.get(0).id()));
        // the same bytes from no producer (NULLS NOT DISTINCT) are also one row under a race
        List<Artifact> orphans = race(() -> repo.registerArtifact(
                new NewArtifact("corpus", shard, null, null, null, List.of())));
        assertEquals(1, orphans.stream().map(Artifact::id).distinct().count());
    }

    @Test
    void lineageWalksUpAndDownASmallDag() {
        // corpus -> tokenizer ; corpus + tokenizer -> base ; base + prompts -> sft ; sft -> eval
        Artifact corpus = register("corpus", "corpus text");
        Artifact tok = register("tokenizer", "tokenizer json", edge(corpus, "corpus"));
        Artifact base = register("checkpoint", "base weights", edge(corpus, "corpus"), edge(tok, "tokenizer"));
        Artifact prompts = register("prompt-pool", "prompt pool");
        Artifact sft = register("checkpoint", "sft weights", edge(base, "base"), edge(prompts, "prompts"));
        Artifact eval = register("evaluation", "eval table", edge(sft, "model"));
        Artifact unrelated = register("corpus", "other corpus");

        assertEquals(List.of(base.id(), prompts.id(), corpus.id(), tok.id()), ids(repo.ancestors(sft.id())),
                "nearest first, then by id; corpus reached at depth 2 by two paths appears once");
        assertEquals(List.of(sft.id(), base.id(), prompts.id(), corpus.id(), tok.id()),
                ids(repo.ancestors(eval.id())));
        assertEquals(List.of(tok.id(), base.id(), sft.id(), eval.id()), ids(repo.descendants(corpus.id())));
        assertEquals(List.of(), repo.descendants(eval.id()));
        assertEquals(List.of(), repo.ancestors(unrelated.id()));
        assertEquals(2, repo.inputsOf(sft.id()).size());
        assertThrows(NoSuchArtifactException.class, () -> repo.ancestors(999_999));

        IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class,
                () -> repo.registerArtifact(new NewArtifact("corpus", store.describe(corpus.sha256()), null, null, null,
                        List.of(edge(eval, "loop")))));
        assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
        assertEquals(0, count("SELECT count(*) FROM artifact_input WHERE input_artifact_id = " + eval.id()),
                "a refused edge is not half-written");
    }

    @Test
    void registrationRefusesBytesThatNoLongerMatch() throws Exception {
        StoredObject o = put("checkpoint shard that will be modified");
        Path stored = store.resolve(o.sha256());
        stored.toFile().setWritable(true);
        Files.writeString(stored, "checkpoint shard that was modified!!!!");
        ArtifactCorruptException e = assertThrows(ArtifactCorruptException.class,
                () -> repo.registerArtifact(new NewArtifact("rollouts", o, null, null, null, List.of())));
        assertTrue(e.getMessage().contains(stored.toString()), e.getMessage());
        assertEquals(0, count("SELECT count(*) FROM artifact WHERE sha256 = '" + o.sha256() + "'"));

        StoredObject lie = new StoredObject(put("honest").sha256(), 999, "file:/x", false);
        assertThrows(ArtifactCorruptException.class,
                () -> repo.registerArtifact(new NewArtifact("rollouts", lie, null, null, null, List.of())));
    }

    @Test
    void unknownInputIsNamedAndNothingIsWritten() {
        StoredObject o = put("orphan edge");
        NoSuchArtifactException e = assertThrows(NoSuchArtifactException.class, () -> repo.registerArtifact(
                new NewArtifact("rollouts", o, null, null, null, List.of(new ArtifactEdge(888_888, "input")))));
        assertEquals(888_888, e.id());
        assertEquals(0, count("SELECT count(*) FROM artifact WHERE sha256 = '" + o.sha256() + "'"));
    }

    @Test
    void newestArtifactTrainingMetricsAndArtifactsOfRun() {
        long run = repo.upsertRun("wf-newest", json("p", "x"), "alice");
        String key = ExecutionKeys.of("ppo", "v1", json("steps", "3"), List.of(), null);
        PhaseExecution e = repo.startExecution(new ExecutionStart(run, "ppo", "wf-newest/ppo", key, "w", null, null, null));
        Artifact c1 = repo.registerArtifact(new NewArtifact("checkpoint", putDir("step1"), null, e.id(), run, List.of()));
        Artifact c2 = repo.registerArtifact(new NewArtifact("checkpoint", putDir("step2"), null, e.id(), null,
                List.of(new ArtifactEdge(c1.id(), "resumed-from"))));
        assertEquals(c2.id(), repo.newestArtifact(e.id(), "checkpoint").orElseThrow().id());
        assertTrue(repo.newestArtifact(e.id(), "evaluation").isEmpty());
        assertEquals(List.of(c1.id(), c2.id()), ids(repo.artifactsOfRun(run)), "by run id or by producer");

        repo.recordTrainingMetrics(e.id(), 1, Map.of("loss", 2.5, "kl", 0.0));
        repo.recordTrainingMetrics(e.id(), 1, Map.of("loss", 2.4, "kl", 0.01)); // a retried step overwrites
        repo.recordTrainingMetrics(e.id(), 2, Map.of("loss", Double.NaN));
        List<TrainingMetric> metrics = repo.trainingMetrics(e.id());
        assertEquals(2, metrics.size());
        assertEquals(2.4, metrics.get(0).metrics().get("loss").asDouble());
        assertEquals("NaN", metrics.get(1).metrics().get("loss").asText());
        assertThrows(IllegalArgumentException.class, () -> repo.recordTrainingMetrics(777_777, 1, Map.of("x", 1.0)));
    }

    @Test
    void executionKeysIgnoreConfigKeyOrderButNotContent() {
        ObjectNode a = JsonNodeFactory.instance.objectNode().put("lr", 0.1).put("steps", 3);
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("steps", 3).put("lr", 0.1);
        ObjectNode c = JsonNodeFactory.instance.objectNode().put("steps", 4).put("lr", 0.1);
        String k = ExecutionKeys.of("sft", "v1", a, List.of("aa".repeat(32)), null);
        assertEquals(k, ExecutionKeys.of("sft", "v1", b, List.of("aa".repeat(32)), null));
        assertFalse(k.equals(ExecutionKeys.of("sft", "v1", c, List.of("aa".repeat(32)), null)));
        assertFalse(k.equals(ExecutionKeys.of("sft", "v2", a, List.of("aa".repeat(32)), null)));
        assertFalse(k.equals(ExecutionKeys.of("sft", "v1", a, List.of("aa".repeat(32)), "cc".repeat(32))));
        assertTrue(Hashes.isSha256(k));
    }

    // ---------------------------------------------------------------- helpers

    private static <T> List<T> race(Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private PhaseExecution execution(String idempotencyKey) {
        return repo.startExecution(new ExecutionStart(null, "test", idempotencyKey,
                ExecutionKeys.of("test", "v1", null, List.of(idempotencyKey), null), "w", null, null, null));
    }

    private static StoredObject put(String text) {
        return store.putBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static StoredObject putDir(String marker) {
        try {
            Path dir = Files.createTempDirectory(tmp, "ckpt");
            Files.writeString(dir.resolve("config.json"), "{\"step\":\"" + marker + "\"}");
            Files.writeString(dir.resolve("model.safetensors"), marker);
            return store.putDirectory(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Artifact register(String kind, String content, ArtifactEdge... inputs) {
        return repo.registerArtifact(new NewArtifact(kind, put(content), null, null, null, List.of(inputs)));
    }

    private static ArtifactEdge edge(Artifact a, String role) {
        return new ArtifactEdge(a.id(), role);
    }

    private static List<Long> ids(List<Artifact> artifacts) {
        return artifacts.stream().map(Artifact::id).toList();
    }

    private static long count(String sql) {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String key, String value) {
        return JsonNodeFactory.instance.objectNode().put(key, value);
    }
}
