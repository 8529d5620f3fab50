package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.metrics.SalmonMetrics;
import salmonrun.activities.principles.PrincipleSet;

/** The aggregation phase publishes its per-principle label statistics to the worker's metrics. */
class AggregationMetricsTest {

    static PhaseFixture fx;
    static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void up() {
        fx = new PhaseFixture();
        Metrics.globalRegistry.add(registry); // what MetricsServer.start does in a worker
    }

    @AfterAll
    static void down() {
        Metrics.globalRegistry.remove(registry);
        fx.close();
    }

    double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void everyLabellingPrincipleGetsKeptDroppedSwapAgreementBiasAndGraderAgreement() {
        List<ResponsePair> pairs = PreferenceAggregatorTest.pairs(60);
        List<Judgement> js = PreferenceAggregatorTest.randomJudgements(60, 11);
        long pairsId = fx.context("response-pairs").register(ResponsePairsPhase.KIND, ResponsePair.toJsonl(pairs),
                SalmonJson.MAPPER.createObjectNode(), List.of()).id();
        PhaseContext jctx = fx.context("judge");
        List<Long> shards = new ArrayList<>();
        shards.add(jctx.register(JudgingPhase.KIND, Judgement.toJsonl(js), SalmonJson.MAPPER.createObjectNode(),
                List.of(new ArtifactEdge(pairsId, "pairs"))).id());
        PrincipleSet set = new PrincipleSet(7L, "judge-set", "hash-1", PreferenceAggregatorTest.DIMS);
        GraderVerdict grader = (pair, pr) -> pr.name().equals("Honest") ? 1 + pair.exampleIdx() % 2 : 0;

        var result = AggregationPhase.run(fx.context("aggregate"), AggregationConfig.reference(), pairsId, shards,
                set, grader);

        assertEquals(3, result.statistics().size());
        for (PrincipleStatistics s : result.statistics().values()) {
            String p = s.principle();
            double kept = gauge(SalmonMetrics.DATASET_LABELS, "principle", p, "outcome", "kept");
            double dropped = gauge(SalmonMetrics.DATASET_LABELS, "principle", p, "outcome", "dropped");
            assertEquals(s.judged(), kept + dropped, p);
            assertEquals((s.output1Rate() + s.output2Rate()) * s.judged(), kept, 1e-9, p);
            assertEquals(s.orderSwapAgreement(), gauge(SalmonMetrics.ORDER_SWAP_AGREEMENT, "principle", p), 1e-12);
            assertEquals(s.meanPositionBias(), gauge(SalmonMetrics.POSITION_BIAS, "principle", p), 1e-12);
        }
        PrincipleStatistics honest = result.statistics().get("Honest");
        assertTrue(honest.graderPairs() > 0);
        assertEquals(honest.graderAgreement(), gauge(SalmonMetrics.GRADER_AGREEMENT, "principle", "Honest"), 1e-12);
        // Brief has no grader verdicts (NaN): no agreement series is invented for it.
        assertTrue(registry.find(SalmonMetrics.GRADER_AGREEMENT).tag("principle", "Brief").gauges().isEmpty());
    }
}
