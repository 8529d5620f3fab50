package salmonrun.worker.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Trims the histograms of Temporal SDK timers. {@code MicrometerClientStatsReporter} registers every
 * timer with {@code publishPercentileHistogram(true)}, which Micrometer expands into about 70 buckets
 * per timer and tag combination (task queue x workflow type x activity type ...): thousands of
 * series per worker. This filter replaces that with a few fixed buckets spanning a poll round-trip
 * to a long activity, enough for a latency heatmap and rough quantiles.
 */
public final class TemporalHistogramFilter implements MeterFilter {

    /** Bucket upper bounds kept for every Temporal timer (plus +Inf). */
    public static final List<Duration> BUCKETS = List.of(
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10));

    private static final String TEMPORAL_PREFIX = "temporal_";

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().startsWith(TEMPORAL_PREFIX)) {
            return config;
        }
        double[] slosNanos = BUCKETS.stream().mapToDouble(Duration::toNanos).toArray();
        // merge(): the values set here win, unset ones fall back to the meter's own config.
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(false)
                .percentiles()
                .serviceLevelObjectives(Arrays.copyOf(slosNanos, slosNanos.length))
                .build()
                .merge(config);
    }
}
