package salmonrun.worker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import salmonrun.activities.metrics.SalmonMetrics;

/**
 * A worker's Prometheus endpoint: one {@link PrometheusMeterRegistry} holding Temporal SDK metrics
 * (through a tally {@link Scope} reporting via {@link MicrometerClientStatsReporter}), Salmon Run's own
 * metrics ({@link SalmonMetrics}, also reachable through {@link SalmonMetrics#global()}) and JVM
 * metrics, served at {@code GET /metrics} by the JDK's HTTP server.
 *
 * <p>Wiring in a worker process:
 * <pre>{@code
 * try (MetricsServer metrics = MetricsServer.start(MetricsConfig.fromEnv(System.getenv()))) {
 *     WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
 *             metrics.withMetrics(WorkflowServiceStubsOptions.newBuilder().setTarget(address)).build());
 *     WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs),
 *             WorkerFactoryOptions.newBuilder().setWorkerInterceptors(metrics.activityInterceptor()).build());
 *     ...
 * }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {

    /** Path Prometheus scrapes. */
    public static final String PATH = "/metrics";

    private final MetricsConfig config;
    private final PrometheusMeterRegistry registry;
    private final Scope temporalScope;
    private final SalmonMetrics salmonMetrics;
    private final JvmGcMetrics gcMetrics;
    private final HttpServer http;
    private final ExecutorService httpThreads;

    private MetricsServer(MetricsConfig config, PrometheusMeterRegistry registry, Scope temporalScope,
                          JvmGcMetrics gcMetrics, HttpServer http, ExecutorService httpThreads) {
        this.config = config;
        this.registry = registry;
        this.temporalScope = temporalScope;
        this.salmonMetrics = new SalmonMetrics(registry);
        this.gcMetrics = gcMetrics;
        this.http = http;
        this.httpThreads = httpThreads;
    }

    /** Starts the endpoint on all interfaces at the given port (0: a free port). */
    public static MetricsServer start(int port) {
        return start(MetricsConfig.ofPort(port));
    }

    /**
     * Creates the registry, the Temporal scope and the HTTP endpoint, and adds the registry to
     * Micrometer's global registry so {@link SalmonMetrics#global()} records into it.
     *
     * @throws IllegalStateException naming the address when the port cannot be bound
     */
    public static MetricsServer start(MetricsConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Filters apply to meters registered after them: add before anything records.
        registry.config().meterFilter(new TemporalHistogramFilter());

        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
        } catch (BindException e) {
            registry.close();
            throw new IllegalStateException("cannot serve metrics on " + config.bindAddress() + ":" + config.port()
                    + " (" + e.getMessage() + "); set " + MetricsConfig.ENV_PORT
                    + " or --metrics-port to a free port", e);
        } catch (IOException e) {
            registry.close();
            throw new UncheckedIOException("cannot start the metrics endpoint on " + config.bindAddress() + ":"
                    + config.port(), e);
        }
        ExecutorService threads = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "salmon-metrics-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        http.createContext(PATH, exchange -> serveMetrics(registry, exchange));
        http.createContext("/", MetricsServer::serveIndex);

        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);

        Scope scope = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(com.uber.m3.util.Duration.ofMillis(config.temporalReportInterval().toMillis()));

        http.start();
        Metrics.globalRegistry.add(registry);
        return new MetricsServer(config, registry, scope, gc, http, threads);
    }

    /** The registry everything is recorded into. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The tally scope to give Temporal ({@code WorkflowServiceStubsOptions.setMetricsScope}). */
    public Scope temporalScope() {
        return temporalScope;
    }

    /** Salmon Run's metrics over this server's registry. */
    public SalmonMetrics salmonMetrics() {
        return salmonMetrics;
    }

    /** Sets this server's Temporal metrics scope on service stub options being built. */
    public WorkflowServiceStubsOptions.Builder withMetrics(WorkflowServiceStubsOptions.Builder options) {
        return options.setMetricsScope(temporalScope);
    }

    /** A worker interceptor timing every activity attempt (register it on the WorkerFactory). */
    public WorkerInterceptor activityInterceptor() {
        return new ActivityMetricsInterceptor(salmonMetrics);
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The scrape URL on the loopback interface. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port() + PATH);
    }

    /** The configuration this server started with. */
    public MetricsConfig config() {
        return config;
    }

    /** Flushes Temporal's pending metrics, stops the endpoint and detaches the registry. */
    @Override
    public void close() {
        try {
            temporalScope.close();
        } catch (ScopeCloseException e) {
            // Closing only flushes the last report; the endpoint must stop regardless.
            System.err.println("salmon: flushing Temporal metrics on close failed: " + e.getMessage());
        } finally {
            http.stop(0);
            httpThreads.shutdownNow();
            gcMetrics.close();
            Metrics.globalRegistry.remove(registry);
            registry.close();
        }
    }

    private static void serveMetrics(PrometheusMeterRegistry registry, HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            // Prometheus asks for OpenMetrics or text 0.0.4 in Accept; scrape() picks the format.
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String contentType = accept == null || accept.isBlank()
                    ? "text/plain; version=0.0.4; charset=utf-8" : accept;
            byte[] body = registry.scrape(negotiate(contentType)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", negotiate(contentType));
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String negotiate(String accept) {
        return accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
    }

    private static void serveIndex(HttpExchange exchange) throws IOException {
        try (exchange) {
            boolean root = exchange.getRequestURI().getPath().equals("/");
            byte[] body = (root ? "Salmon Run worker: metrics at " + PATH + "\n" : "not found\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(root ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
