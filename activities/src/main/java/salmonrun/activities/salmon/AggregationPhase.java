package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.metrics.SalmonMetrics;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;

/**
 * P8: aggregates the judgement shards of a {@code response-pairs} artifact into the
 * {@code preference-dataset} artifact, with the recipe (config, seed, input hashes, principle-set hash),
 * drop counts and per-principle statistics in its metadata. Rebuilding from the same inputs and config
 * gives the same bytes.
 */
public final class AggregationPhase {
    /** Kind of the output artifact. */
    public static final String KIND = "preference-dataset";

    /** The registered dataset. */
    public record Result(long artifactId, String sha256, int examples, Map<String, PrincipleStatistics> statistics) {}

    private AggregationPhase() {}

    /** Aggregates; {@code grader} (sandbox ground truth) may be null. */
    public static Result run(PhaseContext ctx, AggregationConfig config, long pairsArtifactId,
            List<Long> judgementShardIds, PrincipleSet principles, GraderVerdict grader) {
        return run(ctx, config, List.of(pairsArtifactId), judgementShardIds, principles, grader);
    }

    /** Aggregates pairs sampled in shards (their {@code example_idx} must be distinct). */
    public static Result run(PhaseContext ctx, AggregationConfig config, List<Long> pairsArtifactIds,
            List<Long> judgementShardIds, PrincipleSet principles, GraderVerdict grader) {
        List<Principle> dims = PreferenceAggregator.dimensions(principles, config);
        if (judgementShardIds.isEmpty() || pairsArtifactIds.isEmpty()) {
            throw new IllegalArgumentException("nothing to aggregate: " + pairsArtifactIds.size() + " pair artifacts, "
                    + judgementShardIds.size() + " judgement shards");
        }
        List<ResponsePair> pairs = new ArrayList<>();
        ArrayNode pairHashes = SalmonJson.MAPPER.createArrayNode();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (long id : pairsArtifactIds) {
            for (ResponsePair p : ResponsePair.fromJsonl(ctx.read(id, ResponsePairsPhase.KIND))) {
                if (!seen.add(p.exampleIdx())) {
                    throw new IllegalArgumentException("example_idx " + p.exampleIdx() + " occurs twice among pair artifacts "
                            + pairsArtifactIds);
                }
                pairs.add(p);
            }
            pairHashes.add(ctx.lineage().artifact(id).sha256());
        }
        List<Judgement> judgements = new ArrayList<>();
        ArrayNode shardHashes = SalmonJson.MAPPER.createArrayNode();
        for (long id : judgementShardIds) {
            judgements.addAll(Judgement.fromJsonl(ctx.read(id, JudgingPhase.KIND)));
            shardHashes.add(ctx.lineage().artifact(id).sha256());
        }
        ctx.report("aggregate", 0, config.passes(), Map.of(), null);
        PreferenceAggregator.Result res = PreferenceAggregator.aggregate(pairs, judgements, dims, config);
        if (res.examples().isEmpty()) {
            throw new IllegalArgumentException("aggregation produced no examples: " + res.pairs() + " pairs, "
                    + res.missingDimensions() + " missing a judged principle, " + res.zeroScore()
                    + " draws with no decisive principle");
        }
        Map<String, PrincipleStatistics> stats = PrincipleStatistics.compute(pairs, judgements, dims, res.examples(),
                grader);

        ObjectNode recipe = SalmonJson.MAPPER.createObjectNode();
        recipe.set("config", SalmonJson.MAPPER.valueToTree(config));
        recipe.put("seed", config.seed());
        recipe.set("pairs_sha256", pairHashes);
        recipe.set("judgement_sha256", shardHashes);
        recipe.put("principle_set", principles.name());
        if (principles.contentHash() != null) {
            recipe.put("principle_set_hash", principles.contentHash());
        }
        ArrayNode used = recipe.putArray("dimensions");
        dims.forEach(d -> used.add(d.name()));
        ObjectNode counts = SalmonJson.MAPPER.createObjectNode();
        counts.put("pairs", res.pairs());
        counts.put("missing_dimensions", res.missingDimensions());
        counts.put("zero_score", res.zeroScore());
        counts.put("both_language_mismatch", res.bothLanguageMismatch());
        ObjectNode variances = counts.putObject("variances");
        res.variances().forEach((k, v) -> variances.put(k, SalmonJson.decimal(v)));
        PreferenceDataset ds = new PreferenceDataset(recipe, counts, stats, res.examples());

        List<ArtifactEdge> inputs = new ArrayList<>();
        pairsArtifactIds.forEach(id -> inputs.add(new ArtifactEdge(id, "pairs")));
        judgementShardIds.forEach(id -> inputs.add(new ArtifactEdge(id, "judgements")));
        Artifact a = ctx.register(KIND, ds.toBytes(), ds.metadata(), inputs);
        ctx.report("aggregate", config.passes(), config.passes(), Map.of("examples", (double) res.examples().size()),
                null);
        stats.values().forEach(AggregationPhase::exportMetrics);
        return new Result(a.id(), a.sha256(), res.examples().size(), stats);
    }

    /** Per-principle label figures for the worker's Prometheus endpoint (a no-op outside a worker). */
    private static void exportMetrics(PrincipleStatistics s) {
        long kept = Math.round((s.output1Rate() + s.output2Rate()) * s.judged());
        SalmonMetrics.global().recordJudging(s.principle(), s.judged(), kept, s.orderSwapAgreement(),
                s.meanPositionBias(), s.graderAgreement());
    }

    /** The per-principle statistics stored with a preference dataset. */
    public static Map<String, PrincipleStatistics> statistics(LineageRepository lineage, long datasetArtifactId) {
        Artifact a = lineage.artifact(datasetArtifactId);
        if (!a.kind().equals(KIND)) {
            throw new IllegalArgumentException("artifact " + datasetArtifactId + " is a '" + a.kind()
                    + "', expected a '" + KIND + "'");
        }
        return PreferenceDataset.statisticsFromMetadata(a.metadata());
    }
}
