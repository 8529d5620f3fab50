package salmonrun.worker.metrics;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Command-line options for a process that serves metrics; add to a picocli command with
 * {@code @Mixin MetricsOptions metrics;} and call {@link #start()}. Flags override the environment
 * (SALMON_METRICS_PORT, SALMON_METRICS_BIND, SALMON_METRICS_REPORT_INTERVAL_MS).
 */
public final class MetricsOptions {

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Port of the Prometheus endpoint /metrics (default: $SALMON_METRICS_PORT or "
                    + MetricsConfig.DEFAULT_PORT + "; 0 picks a free port).")
    Integer port;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS",
            description = "Address the metrics endpoint binds (default: $SALMON_METRICS_BIND or 0.0.0.0).")
    String bindAddress;

    @Option(names = "--no-metrics", description = "Do not serve metrics.")
    boolean disabled;

    /** The configuration these options and the environment describe. */
    public MetricsConfig config(Map<String, String> env) {
        MetricsConfig fromEnv = MetricsConfig.fromEnv(env);
        return new MetricsConfig(bindAddress != null ? bindAddress : fromEnv.bindAddress(),
                port != null ? port : fromEnv.port(), fromEnv.temporalReportInterval());
    }

    /** Whether --no-metrics was given. */
    public boolean disabled() {
        return disabled;
    }

    /**
     * Starts the endpoint (or returns null with --no-metrics) and prints where it listens on stderr.
     * The caller closes it when the worker stops.
     */
    public MetricsServer start() {
        if (disabled) {
            return null;
        }
        MetricsServer server = MetricsServer.start(config(System.getenv()));
        System.err.println("salmon: metrics at http://" + server.config().bindAddress() + ":" + server.port()
                + MetricsServer.PATH);
        return server;
    }
}
