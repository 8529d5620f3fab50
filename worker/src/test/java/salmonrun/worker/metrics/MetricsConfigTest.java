package salmonrun.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MetricsConfigTest {

    @Test
    void defaultsAndEnvironment() {
        assertEquals(new MetricsConfig("0.0.0.0", 9464, Duration.ofSeconds(2)), MetricsConfig.fromEnv(Map.of()));
        assertEquals(new MetricsConfig("127.0.0.1", 9100, Duration.ofMillis(500)), MetricsConfig.fromEnv(Map.of(
                "SALMON_METRICS_PORT", "9100", "SALMON_METRICS_BIND", "127.0.0.1",
                "SALMON_METRICS_REPORT_INTERVAL_MS", "500")));
    }

    @Test
    void badValuesNameTheVariable() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MetricsConfig.fromEnv(Map.of("SALMON_METRICS_PORT", "ninety")));
        assertEquals("SALMON_METRICS_PORT must be an integer, got 'ninety'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MetricsConfig.fromEnv(Map.of("SALMON_METRICS_PORT", "70000")));
        assertTrue(e.getMessage().contains("SALMON_METRICS_PORT") && e.getMessage().contains("0..65535, got 70000"),
                e.getMessage());
    }

    /** A small command carrying the mixin, as `salmon worker` does. */
    @CommandLine.Command(name = "probe")
    static final class Probe implements Runnable {
        @CommandLine.Mixin
        MetricsOptions metrics = new MetricsOptions();

        @Override
        public void run() {
        }
    }

    @Test
    void flagsOverrideTheEnvironment() {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--metrics-port", "0", "--metrics-bind", "127.0.0.1");
        MetricsConfig config = probe.metrics.config(Map.of("SALMON_METRICS_PORT", "9100",
                "SALMON_METRICS_REPORT_INTERVAL_MS", "300"));
        assertEquals(new MetricsConfig("127.0.0.1", 0, Duration.ofMillis(300)), config);

        Probe off = new Probe();
        new CommandLine(off).parseArgs("--no-metrics");
        assertTrue(off.metrics.disabled());
        assertEquals(null, off.metrics.start());
    }
}
