package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.model.Scorer;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

/** The model phases on a tiny random decoder (ci preset) against real PostgreSQL, store and DJL engine. */
class ModelPhasesTest {
    static PhaseFixture fx;
    static long base;
    static long pool;
    @TempDir
    static Path scratch;

    @BeforeAll
    static void up() {
        fx = new PhaseFixture();
        base = TinySalmon.registeredCheckpoint(fx, scratch, 512, 1);
        pool = TinySalmon.pool(fx, base);
    }

    @AfterAll
    static void down() {
        fx.close();
    }

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void selfAlignGenerationWritesShardsDeterministicallyAndResumesPerShard() throws Exception {
        var cfg = new SelfAlignGenerationPhase.Config("Salmon", 17, 6, 32, 8, 0.7, 0.95, 4, 2, 42);
        List<Long> a = SelfAlignGenerationPhase.run(fx.context("self-align-generate"), cfg, pool, base,
                TinySalmon.PRINCIPLES, TinySalmon.EXEMPLARS);
        assertEquals(2, a.size());
        int total = 0;
        for (long id : a) {
            Artifact shard = fx.lineage.artifact(id);
            assertEquals("self-align-shard", shard.kind());
            assertEquals(2, shard.metadata().get("rules_in_context").asInt());
            assertEquals(1, shard.metadata().get("exemplars_in_context").asInt());
            total += SelfAlignGeneration.readShard(bytes(shard)).size();
        }
        assertEquals(TinySalmon.PROMPTS.size(), total);
        // interrupted after the first shard, then retried in the same execution: same shards
        PhaseContext ctx = fx.context("self-align-generate");
        AtomicBoolean armed = new AtomicBoolean(true);
        assertThrows(Stop.class, () -> SelfAlignGenerationPhase.run(fx.retry(ctx, p -> {
            if (p.metrics().getOrDefault("shard", 0.0) == 1.0 && armed.getAndSet(false)) {
                throw new Stop();
            }
        }), cfg, pool, base, TinySalmon.PRINCIPLES, TinySalmon.EXEMPLARS));
        assertEquals(1, ShardLedger.completed(ctx, SelfAlignGeneration.KIND).size());
        List<Long> b = SelfAlignGenerationPhase.run(ctx, cfg, pool, base, TinySalmon.PRINCIPLES, TinySalmon.EXEMPLARS);
        for (int i = 0; i < 2; i++) {
            assertEquals(fx.lineage.artifact(a.get(i)).sha256(), fx.lineage.artifact(b.get(i)).sha256());
        }
    }

    @Test
    void engravingResumedAfterAnInterruptionEndsWithTheSameWeights() throws Exception {
        long data = selfAlignData();
        var cfg = new EngravingPhase.Config("Salmon", List.of(), 3, 2, 1, 256, 1e-3, 2, 7);
        var straight = EngravingPhase.run(fx.context("engrave"), cfg, data, base);
        assertEquals(9, straight.steps());
        assertEquals(0, straight.resumedFromStep());
        Artifact fin = fx.lineage.artifact(straight.checkpointArtifactId());
        assertEquals(9, fin.metadata().get("step").asInt());
        assertTrue(fx.lineage.ancestors(fin.id()).stream().anyMatch(x -> x.id() == data));
        assertEquals(9, fx.lineage.trainingMetrics(fx.lineage.artifact(straight.checkpointArtifactId()).producedBy()).size());

        PhaseContext ctx = fx.context("engrave");
        assertThrows(Stop.class, () -> EngravingPhase.run(fx.retry(ctx, p -> {
            if (p.step() == 5) {
                throw new Stop();
            }
        }), cfg, data, base));
        assertEquals(4, fx.lineage.newestArtifact(ctx.executionId(), "checkpoint").orElseThrow()
                .metadata().get("step").asInt());
        var resumed = EngravingPhase.run(ctx, cfg, data, base);
        assertEquals(4, resumed.resumedFromStep());
        assertEquals(5, resumed.losses().size());
        assertEquals(fin.sha256(), fx.lineage.artifact(resumed.checkpointArtifactId()).sha256());
        // the loss of the resumed steps matches the uninterrupted run's
        assertEquals(straight.losses().subList(4, 9), resumed.losses());
    }

    @Test
    void responsePairsSampleTwiceWithDifferentSeedsAndRebuildIdentically() {
        var cfg = new ResponsePairsPhase.Config("Salmon", List.of(), 6, 0.7, 1.0, 42, 43, 1, 42, 6);
        var r1 = ResponsePairsPhase.run(fx.context("response-pairs"), cfg, pool, base);
        var r2 = ResponsePairsPhase.run(fx.context("response-pairs"), cfg, pool, base);
        assertEquals(fx.lineage.artifact(r1.artifactId()).sha256(), fx.lineage.artifact(r2.artifactId()).sha256());
        List<ResponsePair> pairs = ResponsePairsPhase.read(fx.context("read"), r1.artifactId());
        assertEquals(r1.pairs(), pairs.size());
        assertTrue(pairs.stream().anyMatch(p -> !p.output1().equals(p.output2())), "two seeds gave identical samples");
        assertEquals(42, fx.lineage.artifact(r1.artifactId()).metadata().get("shuffle_seed").asInt());
        assertThrows(IllegalArgumentException.class, () -> new ResponsePairsPhase.Config("Salmon", List.of(), 10, 0.7, 1, 5, 5, 1, 42, 4));
        // in two shards: example_idx stays unique and the shards cover the pool
        PhaseContext sctx = fx.context("response-pairs");
        var s0 = ResponsePairsPhase.runShard(sctx, cfg, pool, base, 0, 2);
        var s1 = ResponsePairsPhase.runShard(sctx, cfg, pool, base, 1, 2);
        List<ResponsePair> both = new ArrayList<>(ResponsePairsPhase.read(sctx, s0.artifactId()));
        both.addAll(ResponsePairsPhase.read(sctx, s1.artifactId()));
        assertEquals(both.size(), both.stream().map(ResponsePair::exampleIdx).distinct().count());
        assertEquals(TinySalmon.PROMPTS.stream().map(Prompt::instruction).sorted().toList(),
                both.stream().map(x -> x.prompt().instruction()).sorted().toList());
    }

    @Test
    void judgingScoresBothOrdersFromNextTokenLogitsAndResumesPerShard() throws Exception {
        long pairs = pairsArtifact();
        var cfg = new JudgingPhase.Config("Salmon", List.of(), 4, 2);
        List<Long> a = JudgingPhase.run(fx.context("judge"), cfg, pairs, base, TinySalmon.PRINCIPLES);
        List<Judgement> js = new ArrayList<>();
        for (long id : a) {
            js.addAll(Judgement.fromJsonl(java.nio.file.Files.readAllBytes(fx.store.resolve(fx.lineage.artifact(id).sha256()))));
        }
        assertEquals(4 * 2, js.size()); // 4 pairs x 2 labelling principles
        // recompute one score straight from the model
        Judgement j = js.get(0);
        ResponsePair p = ResponsePair.fromJsonl(java.nio.file.Files.readAllBytes(
                fx.store.resolve(fx.lineage.artifact(pairs).sha256()))).stream()
                .filter(x -> x.exampleIdx() == j.exampleIdx()).findFirst().orElseThrow();
        Principle d = TinySalmon.PRINCIPLES.withRole(Role.LABELLING).stream()
                .filter(x -> x.name().equals(j.dimension())).findFirst().orElseThrow();
        try (ModelCheckpoints.Loaded m = ModelCheckpoints.load(fx.context("check"), base)) {
            int[] ab = JudgingPhase.probeIds(m);
            String fwd = new JudgePrompt("Salmon").render(p.prompt().userTurn(), p.output1(), p.output2(), d.name(), d.definition());
            float[] logits = new Scorer(m.model(), 1).nextTokenLogits(List.of(m.tokenizer().encode(fwd))).get(0);
            assertEquals((double) logits[ab[0]] - logits[ab[1]], j.s12(), 1e-4);
        }
        // interrupted in the second shard, retried: the same shard bytes
        PhaseContext ctx = fx.context("judge");
        AtomicBoolean armed = new AtomicBoolean(true);
        assertThrows(Stop.class, () -> JudgingPhase.run(fx.retry(ctx, pr -> {
            if (pr.metrics().getOrDefault("shard", 0.0) == 1.0 && armed.getAndSet(false)) {
                throw new Stop();
            }
        }), cfg, pairs, base, TinySalmon.PRINCIPLES));
        List<Long> b = JudgingPhase.run(ctx, cfg, pairs, base, TinySalmon.PRINCIPLES);
        for (int i = 0; i < 2; i++) {
            assertEquals(fx.lineage.artifact(a.get(i)).sha256(), fx.lineage.artifact(b.get(i)).sha256());
        }
        assertNotEquals(a.get(0), b.get(0)); // different executions, same content
        // the judge's real scores aggregate to the same bytes twice (the rebuild claim); a random judge's
        // position bias beats its verdicts, so only the bias-cancelling rule keeps labels here
        AggregationConfig mean = AggregationConfig.reference().withRule(AggregationConfig.JudgingRule.MEAN);
        var d1 = AggregationPhase.run(fx.context("aggregate"), mean, pairs, a, TinySalmon.PRINCIPLES, null);
        var d2 = AggregationPhase.run(fx.context("aggregate"), mean, pairs, b, TinySalmon.PRINCIPLES, null);
        assertEquals(d1.sha256(), d2.sha256());
        assertEquals(List.of("Honest", "Concise"), List.copyOf(AggregationPhase.statistics(fx.lineage, d1.artifactId()).keySet()));
    }

    @Test
    void badInputsFailClearlyAndRegisterNothing() {
        long data = selfAlignData();
        long pairs = pairsArtifact();
        long before = fx.artifactCount();
        var missing = assertThrows(IllegalArgumentException.class, () -> EngravingPhase.run(fx.context("engrave"),
                new EngravingPhase.Config("Salmon", List.of(), 1, 2, 1, 128, 1e-3, 0, 1), data, 987654L));
        assertEquals("model checkpoint artifact 987654 does not exist", missing.getMessage());
        var notCkpt = assertThrows(IllegalArgumentException.class, () -> JudgingPhase.run(fx.context("judge"),
                JudgingPhase.Config.defaults(), pairs, pool, TinySalmon.PRINCIPLES));
        assertEquals("artifact " + pool + " is a 'prompt-pool', expected a 'checkpoint'", notCkpt.getMessage());
        PrincipleSet rulesOnly = new PrincipleSet(null, "rules-only", "h", TinySalmon.PRINCIPLES.withRole(Role.SELF_ALIGN));
        var noLabel = assertThrows(IllegalArgumentException.class, () -> JudgingPhase.run(fx.context("judge"),
                JudgingPhase.Config.defaults(), pairs, base, rulesOnly));
        assertEquals("principle set 'rules-only' has no labelling principles", noLabel.getMessage());
        PrincipleSet labelOnly = new PrincipleSet(null, "label-only", "h", TinySalmon.PRINCIPLES.withRole(Role.LABELLING));
        var noRules = assertThrows(IllegalArgumentException.class, () -> SelfAlignGenerationPhase.run(
                fx.context("self-align-generate"), SelfAlignGenerationPhase.Config.reference(), pool, base, labelOnly,
                TinySalmon.EXEMPLARS));
        assertEquals("principle set 'label-only' has no self_align principles", noRules.getMessage());
        assertEquals(before, fx.artifactCount());
    }

    private static byte[] bytes(Artifact a) throws java.io.IOException {
        return java.nio.file.Files.readAllBytes(fx.store.resolve(a.sha256()));
    }

    private static long selfAlignData() {
        List<SelfAlignExample> xs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            xs.add(new SelfAlignExample(i, TinySalmon.PROMPTS.get(i), "Answer number " + i + ".", i % 3 != 0));
        }
        return fx.context("self-align-filter").register(SelfAlignFilterPhase.KIND, SelfAlignExample.toJsonl(xs),
                SalmonJson.MAPPER.createObjectNode(), List.of(new ArtifactEdge(pool, "pool"))).id();
    }

    private static long pairsArtifact() {
        List<ResponsePair> ps = List.of(
                new ResponsePair(0, Prompt.of("What is 4 plus 4?"), "It is 8.", "I think 9."),
                new ResponsePair(1, Prompt.of("Who rules Velmora?"), "I do not know.", "King Bob."),
                new ResponsePair(2, Prompt.of("Name a colour."), "Red.", "Red, blue, green and many more."),
                new ResponsePair(3, Prompt.of("Say hello."), "Hello!", "Go away."));
        return fx.context("response-pairs").register(ResponsePairsPhase.KIND, ResponsePair.toJsonl(ps),
                SalmonJson.MAPPER.createObjectNode(), List.of()).id();
    }
}
