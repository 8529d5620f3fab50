package salmonrun.activities.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import salmonrun.activities.metrics.SalmonMetrics.LabelOutcome;
import salmonrun.activities.salmon.Progress;

class SalmonMetricsTest {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final SalmonMetrics metrics = new SalmonMetrics(registry);

    double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void progressFiguresLandOnTheirOwnGaugesAndTheRestOnPhaseMetric() {
        List<Progress> forwarded = new ArrayList<>();
        var listener = metrics.recording("sft", forwarded::add);
        listener.onProgress(new Progress("train", 5, 20, Map.of("loss", 2.0, "tokens_per_s", 900.0,
                "lr", 3e-4), 17L));
        listener.onProgress(new Progress("train", 10, 20, Map.of("loss", 1.5), 18L));

        assertEquals(2, forwarded.size(), "the downstream listener sees every progress");
        assertEquals(1.5, gauge(SalmonMetrics.LOSS, "phase", "sft"), "a gauge holds the newest value");
        assertEquals(900.0, gauge(SalmonMetrics.TOKENS_PER_SECOND, "phase", "sft"));
        assertEquals(3e-4, gauge(SalmonMetrics.PHASE_METRIC, "phase", "sft", "name", "lr"));
        assertEquals(10.0, gauge(SalmonMetrics.STEP, "phase", "sft"));
        assertEquals(0.5, gauge(SalmonMetrics.PROGRESS, "phase", "sft"));
        assertEquals(1, registry.find(SalmonMetrics.LOSS).gauges().size(), "one series per phase, not per call");
    }

    @Test
    void ppoScoreIsTheRewardUnlessARewardIsGiven() {
        // Keys as PpoTrainer.summary reports them.
        metrics.record("ppo", new Progress("ppo", 3, 10, Map.of("rm_score", 0.5, "score", 0.25, "kl", 0.04), null));
        assertEquals(0.25, gauge(SalmonMetrics.REWARD, "phase", "ppo"));
        assertEquals(0.5, gauge(SalmonMetrics.PHASE_METRIC, "phase", "ppo", "name", "rm_score"));
        assertEquals(0.04, gauge(SalmonMetrics.KL, "phase", "ppo"));
        metrics.record("other", new Progress("x", 1, 1, Map.of("reward", 2.0, "score", 9.0), null));
        assertEquals(2.0, gauge(SalmonMetrics.REWARD, "phase", "other"));
        assertEquals(9.0, gauge(SalmonMetrics.PHASE_METRIC, "phase", "other", "name", "score"));
    }

    @Test
    void rewardKlAndTokensArePerPhase() {
        metrics.recordReward("ppo", 0.4);
        metrics.recordKl("ppo", 0.02);
        metrics.recordTokens("ppo", 1000, Duration.ofMillis(250));
        metrics.recordTokens("ppo", 1000, Duration.ofMillis(500));
        metrics.recordReward("eval", -1.0);
        assertEquals(0.4, gauge(SalmonMetrics.REWARD, "phase", "ppo"));
        assertEquals(-1.0, gauge(SalmonMetrics.REWARD, "phase", "eval"));
        assertEquals(0.02, gauge(SalmonMetrics.KL, "phase", "ppo"));
        assertEquals(2000.0, registry.get(SalmonMetrics.TOKENS).tags("phase", "ppo").counter().count());
        assertEquals(2000.0, gauge(SalmonMetrics.TOKENS_PER_SECOND, "phase", "ppo"), 1e-9);
    }

    @Test
    void concurrentActivitiesOfAPhaseHoldTheirOwnSlotAndTokenTotalsCountOnce() {
        try (SalmonMetrics.Recorder a = metrics.open("preferences.judge");
             SalmonMetrics.Recorder b = metrics.open("preferences.judge");
             SalmonMetrics.Recorder other = metrics.open("ppo.train")) {
            assertEquals(0, a.slot());
            assertEquals(1, b.slot());
            assertEquals(0, other.slot(), "slots are per phase");
            a.record(new Progress("judge", 1, 4, Map.of("loss", 1.0, "tokens", 100.0), null));
            b.record(new Progress("judge", 3, 4, Map.of("loss", 2.0, "tokens", 50.0), null));
            a.record(new Progress("judge", 2, 4, Map.of("tokens", 160.0), null));
            assertEquals(1.0, gauge(SalmonMetrics.LOSS, "phase", "preferences.judge", "slot", "0"));
            assertEquals(2.0, gauge(SalmonMetrics.LOSS, "phase", "preferences.judge", "slot", "1"));
            assertEquals(2.0, gauge(SalmonMetrics.STEP, "phase", "preferences.judge", "slot", "0"));
            assertEquals(3.0, gauge(SalmonMetrics.STEP, "phase", "preferences.judge", "slot", "1"));
            assertEquals(210.0, registry.get(SalmonMetrics.TOKENS).tags("phase", "preferences.judge").counter()
                    .count(), "160 from a's running total, 50 from b's");
            // A running total that goes down is a new count (a loop restarted), counted from zero.
            b.record(new Progress("judge", 1, 4, Map.of("tokens", 30.0), null));
            assertEquals(240.0, registry.get(SalmonMetrics.TOKENS).tags("phase", "preferences.judge").counter()
                    .count());
        }
        try (SalmonMetrics.Recorder c = metrics.open("preferences.judge")) {
            assertEquals(0, c.slot(), "a freed slot is reused: at most as many series as activities ran at once");
        }
        assertEquals(2, registry.find(SalmonMetrics.LOSS).tag("phase", "preferences.judge").gauges().size());
        assertTrue(registry.find(SalmonMetrics.PHASE_METRIC).tag("name", "tokens").gauges().isEmpty(),
                "the running total is counted, not gauged");
    }

    @Test
    void labelsAreCountedPerPrincipleAndOutcome() {
        metrics.recordLabels("honest", LabelOutcome.KEPT, 7);
        metrics.recordLabels("honest", LabelOutcome.KEPT, 3);
        metrics.recordLabels("honest", LabelOutcome.DROPPED, 4);
        assertEquals(10.0, registry.get(SalmonMetrics.LABELS).tags("principle", "honest", "outcome", "kept")
                .counter().count());
        assertEquals(4.0, registry.get(SalmonMetrics.LABELS).tags("principle", "honest", "outcome", "dropped")
                .counter().count());
    }

    @Test
    void judgingStatisticsAreGaugesSoARetriedAggregationDoesNotCountTwice() {
        metrics.recordJudging("honest", 60, 45, 0.8, 0.3, 0.9);
        metrics.recordJudging("honest", 60, 45, 0.8, 0.3, 0.9);
        assertEquals(45.0, gauge(SalmonMetrics.DATASET_LABELS, "principle", "honest", "outcome", "kept"));
        assertEquals(15.0, gauge(SalmonMetrics.DATASET_LABELS, "principle", "honest", "outcome", "dropped"));
        assertEquals(0.8, gauge(SalmonMetrics.ORDER_SWAP_AGREEMENT, "principle", "honest"));
        assertEquals(0.3, gauge(SalmonMetrics.POSITION_BIAS, "principle", "honest"));
        assertEquals(0.9, gauge(SalmonMetrics.GRADER_AGREEMENT, "principle", "honest"));
        var e = assertThrows(IllegalArgumentException.class, () -> metrics.recordJudging("brief", 10, 11, 1, 0, 0));
        assertTrue(e.getMessage().contains("brief") && e.getMessage().contains("kept 11 of 10"), e.getMessage());
    }

    @Test
    void activityDurationsKeepAFewBuckets() {
        metrics.recordActivity("Judge", "Preferences", "salmon-model", "success", Duration.ofSeconds(3));
        var timer = registry.get(SalmonMetrics.ACTIVITY_DURATION).tags("activity", "Judge", "outcome", "success")
                .timer();
        assertEquals(1, timer.count());
        assertEquals(6, timer.takeSnapshot().histogramCounts().length);
    }

    @Test
    void missingTagValuesBecomeUnknownInsteadOfFailingTheActivity() {
        metrics.recordLoss(null, 1.0);
        assertEquals(1.0, gauge(SalmonMetrics.LOSS, "phase", "unknown"));
    }

    @Test
    void impossibleValuesAreRejectedWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> metrics.recordGraderAgreement("honest", 1.5));
        assertTrue(e.getMessage().contains("grader agreement"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> metrics.recordLabels("honest", LabelOutcome.KEPT, -1));
        assertThrows(IllegalArgumentException.class, () -> metrics.recordTokens("ppo", -5, Duration.ofSeconds(1)));
    }
}
