package salmonrun.worker.metrics;

import java.time.Duration;
import java.util.Map;

/**
 * Where and how a worker serves its metrics: bind address and port of {@code /metrics} (port 0 picks
 * a free one, e.g. in tests) and how often Temporal's SDK metrics are flushed into the registry.
 */
public record MetricsConfig(String bindAddress, int port, Duration temporalReportInterval) {

    /** Prometheus' conventional port for JVM exporters (also what deploy/ scrapes). */
    public static final int DEFAULT_PORT = 9464;
    public static final String ENV_PORT = "SALMON_METRICS_PORT";
    public static final String ENV_BIND = "SALMON_METRICS_BIND";
    public static final String ENV_REPORT_INTERVAL_MS = "SALMON_METRICS_REPORT_INTERVAL_MS";
    private static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(2);

    public MetricsConfig {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("metrics bind address must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port must be in 0..65535, got " + port);
        }
        if (temporalReportInterval == null || temporalReportInterval.toMillis() < 1) {
            throw new IllegalArgumentException("Temporal metrics report interval must be >= 1 ms, got "
                    + temporalReportInterval);
        }
    }

    /** Defaults on all interfaces at the given port. */
    public static MetricsConfig ofPort(int port) {
        return new MetricsConfig("0.0.0.0", port, DEFAULT_REPORT_INTERVAL);
    }

    /** Reads SALMON_METRICS_PORT, SALMON_METRICS_BIND, SALMON_METRICS_REPORT_INTERVAL_MS; defaults otherwise. */
    public static MetricsConfig fromEnv(Map<String, String> env) {
        int port = parseInt(env, ENV_PORT, DEFAULT_PORT);
        String bind = env.getOrDefault(ENV_BIND, "0.0.0.0");
        long intervalMs = parseInt(env, ENV_REPORT_INTERVAL_MS, (int) DEFAULT_REPORT_INTERVAL.toMillis());
        try {
            return new MetricsConfig(bind, port, Duration.ofMillis(intervalMs));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad metrics environment (" + ENV_PORT + ", " + ENV_BIND + ", "
                    + ENV_REPORT_INTERVAL_MS + "): " + e.getMessage(), e);
        }
    }

    private static int parseInt(Map<String, String> env, String name, int fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + raw + "'", e);
        }
    }
}
