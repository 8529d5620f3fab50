package salmonrun.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The filter against a control registry without it, registering timers the way Temporal's reporter does. */
class TemporalHistogramFilterTest {

    static long bucketLines(PrometheusMeterRegistry registry, String name) {
        return registry.scrape().lines().filter(l -> l.startsWith(name + "_seconds_bucket")).count();
    }

    static void recordLikeTemporal(PrometheusMeterRegistry registry, String name) {
        // MicrometerClientStatsReporter.reportTimer: publishPercentileHistogram(true) on every timer.
        Timer.builder(name).tag("task_queue", "salmon-model").publishPercentileHistogram(true)
                .register(registry).record(Duration.ofMillis(120));
    }

    @Test
    void withoutTheFilterATemporalTimerExportsDozensOfBuckets() {
        PrometheusMeterRegistry control = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        recordLikeTemporal(control, "temporal_activity_execution_latency");
        long buckets = bucketLines(control, "temporal_activity_execution_latency");
        System.out.println("Temporal timer without TemporalHistogramFilter: " + buckets + " bucket series");
        assertTrue(buckets > 50, "control: Micrometer's default percentile histogram should be large");
    }

    @Test
    void theFilterKeepsOnlyTheConfiguredBucketsForTemporalTimers() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new TemporalHistogramFilter());
        recordLikeTemporal(registry, "temporal_activity_execution_latency");
        long buckets = bucketLines(registry, "temporal_activity_execution_latency");
        System.out.println("Temporal timer with TemporalHistogramFilter: " + buckets + " bucket series");
        assertEquals(TemporalHistogramFilter.BUCKETS.size() + 1, buckets);
        // 120 ms falls into the 200 ms bucket and above, not the 50 ms one.
        String scrape = registry.scrape();
        assertTrue(scrape.contains("le=\"0.05\"} 0"), scrape);
        assertTrue(scrape.contains("le=\"0.2\"} 1"), scrape);
    }

    @Test
    void otherTimersKeepTheirOwnHistogramConfiguration() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new TemporalHistogramFilter());
        recordLikeTemporal(registry, "salmon_custom_latency");
        assertTrue(bucketLines(registry, "salmon_custom_latency") > 50);
    }
}
