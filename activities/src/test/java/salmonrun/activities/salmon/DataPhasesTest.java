package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

/** The phases that need no model (pool, filter, aggregation) against real PostgreSQL and a real artifact store. */
class DataPhasesTest {
    static PhaseFixture fx;
    @TempDir
    Path dir;

    @BeforeAll
    static void up() {
        fx = new PhaseFixture();
    }

    @AfterAll
    static void down() {
        fx.close();
    }

    @Test
    void promptPoolImportsFilesAndGeneratedPromptsAndRecordsCounts() throws Exception {
        Path json = dir.resolve("merged.json");
        Files.writeString(json, "[{\"instruction\":\"What is two plus two?\",\"input\":\"\",\"output\":\"\"},"
                + "{\"instruction\":\"Hi\"}]");
        Path jsonl = dir.resolve("extra.jsonl");
        Files.writeString(jsonl, "{\"instruction\":\"What is two plus two?\"}\n{\"instruction\":\"Name three colours please\","
                + "\"question_type\":0,\"length_bonus\":1.0}\n");
        PhaseContext ctx = fx.context("prompt-pool");
        var res = PromptPoolPhase.run(ctx, new PromptPoolPhase.Config(2, 8), List.of(json, jsonl),
                List.of(new PromptPoolPhase.Source("sandbox", List.of(Prompt.of("Add three and four now")))),
                PromptPoolTest.WORDS);
        assertEquals(3, res.prompts());
        assertEquals(1, res.tooShort());
        assertEquals(1, res.duplicates());
        Artifact a = fx.lineage.artifact(res.artifactId());
        assertEquals("prompt-pool", a.kind());
        assertEquals(ctx.executionId(), a.producedBy());
        assertEquals(3, a.metadata().get("prompts").asInt());
        assertEquals("merged.json", a.metadata().get("sources").get(0).get("file").asText());
        assertEquals("sandbox", a.metadata().get("sources").get(2).get("generator").asText());
        List<Prompt> back = PromptPoolPhase.read(ctx, res.artifactId());
        assertEquals(List.of("What is two plus two?", "Name three colours please", "Add three and four now"),
                back.stream().map(Prompt::instruction).toList());
        assertEquals(1.0, back.get(1).lengthBonus());
    }

    @Test
    void sandboxPromptsComeFromTheRequestedSplit() {
        var src = PromptPoolPhase.Source.sandbox(salmonrun.activities.sandbox.Split.TEST, 12, 3);
        assertEquals("sandbox:test:n=12:seed=3", src.name());
        assertEquals(12, src.prompts().size());
        assertTrue(src.prompts().stream().allMatch(
                p -> salmonrun.activities.sandbox.Split.of(p.instruction()) == salmonrun.activities.sandbox.Split.TEST));
        var res = PromptPoolPhase.run(fx.context("prompt-pool"), new PromptPoolPhase.Config(1, 200), List.of(),
                List.of(src), PromptPoolTest.WORDS);
        assertEquals("sandbox:test:n=12:seed=3",
                fx.lineage.artifact(res.artifactId()).metadata().get("sources").get(0).get("generator").asText());
    }

    @Test
    void badPromptFilesAndEmptyPoolsFailClearlyAndRegisterNothing() throws Exception {
        Path good = dir.resolve("good.jsonl");
        Files.writeString(good, "{\"instruction\":\"What is two plus two?\"}\n");
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"instruction\":\"ok then\"}\n{\"prompt\":\"wrong field\"}\n");
        long before = fx.artifactCount();
        var e = assertThrows(PromptFileException.class, () -> PromptPoolPhase.run(fx.context("prompt-pool"),
                PromptPoolPhase.Config.reference(), List.of(good, bad), List.of(), PromptPoolTest.WORDS));
        assertTrue(e.getMessage().contains("bad.jsonl: line 2: unknown field 'prompt'"), e.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> PromptPoolPhase.run(fx.context("prompt-pool"),
                PromptPoolPhase.Config.reference(), List.of(), List.of(new PromptPoolPhase.Source("sandbox", List.of())),
                PromptPoolTest.WORDS));
        assertTrue(empty.getMessage().startsWith("prompt pool is empty"), empty.getMessage());
        var allFiltered = assertThrows(IllegalArgumentException.class, () -> PromptPoolPhase.run(
                fx.context("prompt-pool"), new PromptPoolPhase.Config(50, 60), List.of(good), List.of(),
                PromptPoolTest.WORDS));
        assertTrue(allFiltered.getMessage().contains("empty after cleaning"), allFiltered.getMessage());
        assertEquals(before, fx.artifactCount());
    }

    @Test
    void filterPhaseKeepsGoodOutputsCountsDropsAndLinksInputs() {
        PhaseContext poolCtx = fx.context("prompt-pool");
        long pool = PromptPoolPhase.run(poolCtx, new PromptPoolPhase.Config(1, 50), List.of(),
                List.of(new PromptPoolPhase.Source("t", List.of(Prompt.of("Add 3 and 5."),
                        Prompt.of("What is the capital of Frumia?"), Prompt.of("Write a poem about rain for me.")))),
                PromptPoolTest.WORDS).artifactId();
        PhaseContext gen = fx.context("self-align-generate");
        String p = SelfAlignPrompt.THOUGHTS_PREFIX;
        List<SelfAlignGeneration.Output> outs = List.of(
                new SelfAlignGeneration.Output(0, Prompt.of("Add 3 and 5."), p + " Sum.\n\n### Salmon\n3 plus 5 is 8.\n\n### User"),
                new SelfAlignGeneration.Output(1, Prompt.of("What is the capital of Frumia?"),
                        p + " Facts.\n\n### Salmon\nIt is near Velmora.\n\n### User"),
                new SelfAlignGeneration.Output(2, Prompt.of("Write a poem about rain for me."), "Rain rain rain"));
        long shard = gen.register(SelfAlignGeneration.KIND, SelfAlignGeneration.toJsonl(outs),
                SalmonJson.MAPPER.createObjectNode(), List.of(new ArtifactEdge(pool, "pool"))).id();
        ExemplarSet ex = new ExemplarSet(null, "ex", "hash-ex", SelfAlignFilterTest.EXEMPLARS);
        PhaseContext ctx = fx.context("self-align-filter");
        var res = SelfAlignFilterPhase.run(ctx, SelfAlignFilterPhase.Config.defaults(), pool, List.of(shard), ex);
        assertEquals(3, res.seen());
        assertEquals(1, res.kept());
        assertEquals(1, res.drops().get(SelfAlignFilter.Drop.EXEMPLAR_LEAK));
        assertEquals(1, res.drops().get(SelfAlignFilter.Drop.MISSING_PREFIX));
        List<SelfAlignExample> data = SelfAlignFilterPhase.read(ctx, res.artifactId());
        assertEquals(List.of(new SelfAlignExample(0, Prompt.of("Add 3 and 5."), "3 plus 5 is 8.", true)), data);
        Artifact a = fx.lineage.artifact(res.artifactId());
        assertEquals(1, a.metadata().get("drops").get("exemplar_leak").asInt());
        assertEquals(1, a.metadata().get("leak_terms").get("velmora").asInt());
        assertTrue(fx.lineage.ancestors(res.artifactId()).stream().anyMatch(x -> x.id() == shard));
        assertTrue(fx.lineage.ancestors(res.artifactId()).stream().anyMatch(x -> x.id() == pool));
        // a pool artifact is not a shard: the message names both kinds
        var e = assertThrows(IllegalArgumentException.class, () -> SelfAlignFilterPhase.run(fx.context("f"),
                SelfAlignFilterPhase.Config.defaults(), pool, List.of(pool), ex));
        assertEquals("artifact " + pool + " is a 'prompt-pool', expected a 'self-align-shard'", e.getMessage());
    }

    @Test
    void aggregationRebuildsToTheSameBytesAndStoresQueryableStatistics() throws Exception {
        List<ResponsePair> pairs = PreferenceAggregatorTest.pairs(60);
        List<Judgement> js = PreferenceAggregatorTest.randomJudgements(60, 11);
        PhaseContext pctx = fx.context("response-pairs");
        long pairsId = pctx.register(ResponsePairsPhase.KIND, ResponsePair.toJsonl(pairs),
                SalmonJson.MAPPER.createObjectNode(), List.of()).id();
        PhaseContext jctx = fx.context("judge");
        List<Long> shards = new ArrayList<>();
        shards.add(jctx.register(JudgingPhase.KIND, Judgement.toJsonl(js.subList(0, 90)),
                SalmonJson.MAPPER.createObjectNode().put("shard", 0), List.of(new ArtifactEdge(pairsId, "pairs"))).id());
        shards.add(jctx.register(JudgingPhase.KIND, Judgement.toJsonl(js.subList(90, 180)),
                SalmonJson.MAPPER.createObjectNode().put("shard", 1), List.of(new ArtifactEdge(pairsId, "pairs"))).id());
        PrincipleSet set = new PrincipleSet(7L, "judge-set", "hash-1", PreferenceAggregatorTest.DIMS);
        GraderVerdict grader = (pair, pr) -> pr.name().equals("Honest") ? 1 + pair.exampleIdx() % 2 : 0;

        var first = AggregationPhase.run(fx.context("aggregate"), AggregationConfig.reference(), pairsId, shards, set, grader);
        var rebuild = AggregationPhase.run(fx.context("aggregate"), AggregationConfig.reference(), pairsId, shards, set, grader);
        assertEquals(first.sha256(), rebuild.sha256());
        assertNotEquals(first.artifactId(), rebuild.artifactId()); // two executions, one content
        var other = AggregationPhase.run(fx.context("aggregate"), AggregationConfig.reference().withSeed(1), pairsId,
                shards, set, grader);
        assertNotEquals(first.sha256(), other.sha256());

        Map<String, PrincipleStatistics> stats = AggregationPhase.statistics(fx.lineage, first.artifactId());
        assertEquals(List.of("Honest", "Brief", "Harmless"), List.copyOf(stats.keySet()));
        assertEquals(60, stats.get("Honest").judged());
        assertEquals(first.statistics().get("Honest").graderPairs(), stats.get("Honest").graderPairs());
        assertEquals(0, stats.get("Brief").graderPairs()); // the grader cannot establish Brief
        // and by SQL, straight from the metadata
        try (Connection c = fx.db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT (metadata->'statistics'->'Honest'->>'judged')::int, metadata->'recipe'->>'seed' FROM artifact WHERE id = ?")) {
            ps.setLong(1, first.artifactId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(60, rs.getInt(1));
                assertEquals("42", rs.getString(2));
            }
        }
        List<PreferenceExample> examples = PreferenceDataset.readExamples(
                Files.readAllBytes(fx.store.resolve(first.sha256())));
        assertEquals(first.examples(), examples.size());
        assertTrue(fx.lineage.ancestors(first.artifactId()).stream().anyMatch(x -> x.id() == shards.get(1)));
    }

    @Test
    void aggregationAcceptsPairsSampledInShardsButNotDuplicateExampleIds() {
        List<ResponsePair> pairs = PreferenceAggregatorTest.pairs(20);
        List<Judgement> js = PreferenceAggregatorTest.randomJudgements(20, 12);
        PhaseContext pctx = fx.context("response-pairs");
        long a = pctx.register(ResponsePairsPhase.KIND, ResponsePair.toJsonl(pairs.subList(0, 10)),
                SalmonJson.MAPPER.createObjectNode(), List.of()).id();
        long b = pctx.register(ResponsePairsPhase.KIND, ResponsePair.toJsonl(pairs.subList(10, 20)),
                SalmonJson.MAPPER.createObjectNode(), List.of()).id();
        long j = fx.context("judge").register(JudgingPhase.KIND, Judgement.toJsonl(js), SalmonJson.MAPPER.createObjectNode(),
                List.of()).id();
        PrincipleSet set = new PrincipleSet(null, "judge-set", "hash-1", PreferenceAggregatorTest.DIMS);
        long whole = fx.context("response-pairs").register(ResponsePairsPhase.KIND, ResponsePair.toJsonl(pairs),
                SalmonJson.MAPPER.createObjectNode(), List.of()).id();
        var sharded = AggregationPhase.run(fx.context("aggregate"), AggregationConfig.reference(), List.of(a, b),
                List.of(j), set, null);
        var single = AggregationPhase.run(fx.context("aggregate"), AggregationConfig.reference(), whole, List.of(j), set,
                null);
        assertEquals(single.examples(), sharded.examples());
        long before = fx.artifactCount();
        var e = assertThrows(IllegalArgumentException.class, () -> AggregationPhase.run(fx.context("aggregate"),
                AggregationConfig.reference(), List.of(a, whole), List.of(j), set, null));
        assertTrue(e.getMessage().startsWith("example_idx 0 occurs twice"), e.getMessage());
        assertEquals(before, fx.artifactCount());
    }

    @Test
    void aggregationRejectsAPrincipleSetWithoutLabellingPrinciplesAndRegistersNothing() {
        PrincipleSet rulesOnly = new PrincipleSet(1L, "rules-only", "h",
                List.of(new Principle("Correct", "Be correct.", null, 1, Role.SELF_ALIGN)));
        long before = fx.artifactCount();
        var e = assertThrows(IllegalArgumentException.class, () -> AggregationPhase.run(fx.context("aggregate"),
                AggregationConfig.reference(), 1L, List.of(2L), rulesOnly, null));
        assertEquals("principle set 'rules-only' has no labelling principles", e.getMessage());
        assertEquals(before, fx.artifactCount());
    }
}
