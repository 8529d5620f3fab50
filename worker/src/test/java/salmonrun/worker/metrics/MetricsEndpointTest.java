package salmonrun.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.activities.metrics.SalmonMetrics;
import salmonrun.activities.metrics.SalmonMetrics.LabelOutcome;
import salmonrun.activities.salmon.Progress;
import salmonrun.activities.salmon.ProgressListener;
import salmonrun.worker.deploy.DeployFiles;

/**
 * Runs real workflows on a standalone Temporal test server over gRPC, with the worker wired exactly as
 * docs/metrics.md says (metrics scope on the service stubs, activity interceptor on the factory), then
 * scrapes /metrics over HTTP and checks Temporal's series, ours, the bucket trimming, and that the
 * Grafana dashboard only queries series that really appear.
 */
class MetricsEndpointTest {

    static final String QUEUE = "metrics-probe";
    static final double[] LOSSES = {2.5, 1.75, 1.25};

    static TestServer.PortBoundTestServer temporal;
    static MetricsServer metrics;
    static WorkflowServiceStubs stubs;
    static WorkerFactory factory;
    static PrometheusText scrape;
    /** Scraped while the first run's training activity was paused after step 1. */
    static PrometheusText midRunScrape;
    /** Holds the first training activity after its first step until the test has scraped. */
    static final CountDownLatch firstStepScraped = new CountDownLatch(1);
    static HttpClient http = HttpClient.newHttpClient();

    @WorkflowInterface
    public interface MetricsProbe {
        @WorkflowMethod
        String run(boolean failAtEnd);
    }

    @ActivityInterface
    public interface ProbeActivities {
        /** A tiny "PPO" loop reporting progress like a phase does. */
        String train(int steps);

        /** Judging that fails on its first attempt (a lost worker) and succeeds on retry. */
        int judge(String principle);
    }

    public static class MetricsProbeImpl implements MetricsProbe {
        private final ProbeActivities activities = Workflow.newActivityStub(ProbeActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(50))
                                .setMaximumAttempts(3).build())
                        .build());

        @Override
        public String run(boolean failAtEnd) {
            String trained = activities.train(LOSSES.length);
            int labels = activities.judge("honest") + activities.judge("concise");
            if (failAtEnd) {
                throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure("probe failure", "Probe");
            }
            return trained + ":" + labels;
        }
    }

    static class ProbeActivitiesImpl implements ProbeActivities {
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

        @Override
        public String train(int steps) {
            // Through the global registry, as phase code without a registry handed to it would.
            ProgressListener listener = SalmonMetrics.global().recording("ppo", ProgressListener.NONE);
            for (int step = 1; step <= steps; step++) {
                listener.onProgress(new Progress("rollout", step, steps, Map.of(
                        SalmonMetrics.KEY_LOSS, LOSSES[step - 1],
                        SalmonMetrics.KEY_REWARD, 0.25 * step,
                        SalmonMetrics.KEY_KL, 0.01 * step,
                        SalmonMetrics.KEY_TOKENS_PER_SECOND, 1000.0 + step,
                        "entropy", 3.5), null));
                if (step == 1) {
                    awaitMidRunScrape();
                }
            }
            SalmonMetrics.global().recordTokens("ppo", 4096, Duration.ofMillis(512));
            return "trained";
        }

        private static void awaitMidRunScrape() {
            try {
                firstStepScraped.await(30, TimeUnit.SECONDS); // later runs pass straight through
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the mid-run scrape", e);
            }
        }

        @Override
        public int judge(String principle) {
            if (attempts.computeIfAbsent(principle, p -> new AtomicInteger()).incrementAndGet() == 1) {
                throw new IllegalStateException("worker lost during judging of " + principle);
            }
            SalmonMetrics.global().recordLabels(principle, LabelOutcome.KEPT, 3);
            SalmonMetrics.global().recordLabels(principle, LabelOutcome.DROPPED, 2);
            SalmonMetrics.global().recordGraderAgreement(principle, 0.75);
            // What AggregationPhase publishes for the newest preference dataset.
            SalmonMetrics.global().recordJudging(principle, 10, 7, 0.7, -0.25, 0.75);
            return 3;
        }
    }

    @BeforeAll
    static void runProbeWorkflows() throws Exception {
        int temporalPort = freePort();
        temporal = TestServer.createPortBoundServer(temporalPort);
        metrics = MetricsServer.start(new MetricsConfig("127.0.0.1", 0, Duration.ofMillis(100)));
        stubs = WorkflowServiceStubs.newServiceStubs(metrics.withMetrics(
                WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort)).build());
        WorkflowClient client = WorkflowClient.newInstance(stubs);
        factory = WorkerFactory.newInstance(client,
                WorkerFactoryOptions.newBuilder().setWorkerInterceptors(metrics.activityInterceptor()).build());
        // The test server never times out sticky queues (DESIGN.md).
        Worker worker = factory.newWorker(QUEUE,
                WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
        worker.registerWorkflowImplementationTypes(MetricsProbeImpl.class);
        worker.registerActivitiesImplementations(new ProbeActivitiesImpl());
        factory.start();

        MetricsProbe ok = client.newWorkflowStub(MetricsProbe.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("probe-ok").build());
        WorkflowClient.start(ok::run, false);
        // Scrape during the run: training is paused after step 1 until we have seen it on /metrics.
        long midDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            midRunScrape = PrometheusText.parse(get(metrics.endpoint()).body());
            if (!midRunScrape.find("salmon_step", Map.of("phase", "ppo")).isEmpty()
                    && midRunScrape.find("temporal_worker_task_slots_used",
                            Map.of("worker_type", "ActivityWorker")).stream().anyMatch(s -> s.value() >= 1)) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < midDeadline);
        firstStepScraped.countDown();
        assertEquals("trained:6", WorkflowStub.fromTyped(ok).getResult(String.class));
        MetricsProbe failing = client.newWorkflowStub(MetricsProbe.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("probe-fail").build());
        assertThrows(WorkflowFailedException.class, () -> failing.run(true));

        // Temporal's scope reports every 100 ms: wait for the workflow counters to show up.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            String body = get(metrics.endpoint()).body();
            // Kept for people reading docs/metrics.md and for debugging a failure.
            Files.writeString(Path.of("target", "metrics-scrape.txt"), body);
            scrape = PrometheusText.parse(body);
            if (!scrape.find("temporal_workflow_completed_total", Map.of()).isEmpty()
                    && !scrape.find("temporal_workflow_failed_total", Map.of()).isEmpty()) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (factory != null) {
                factory.shutdownNow();
                factory.awaitTermination(10, TimeUnit.SECONDS);
            }
        } finally {
            try {
                if (stubs != null) {
                    stubs.shutdownNow();
                }
            } finally {
                try {
                    if (metrics != null) {
                        metrics.close();
                    }
                } finally {
                    if (temporal != null) {
                        temporal.close();
                    }
                }
            }
        }
    }

    @Test
    void metricsAreLiveWhileAnActivityRuns() {
        Map<String, String> ppo = Map.of("phase", "ppo");
        assertEquals(1.0, midRunScrape.value("salmon_step", ppo), "step 1 of 3 while training is paused");
        assertEquals(LOSSES[0], midRunScrape.value("salmon_loss", ppo));
        assertEquals(1.0 / LOSSES.length, midRunScrape.value("salmon_progress_ratio", ppo), 1e-12);
        assertTrue(midRunScrape.find("temporal_worker_task_slots_used", Map.of("worker_type", "ActivityWorker"))
                .stream().anyMatch(s -> s.value() >= 1), "an activity slot is in use during the run");
        assertTrue(midRunScrape.find("temporal_workflow_completed_total", Map.of()).isEmpty(),
                "nothing has completed yet");
    }

    @Test
    void temporalSdkSeriesAreExported() {
        String type = "MetricsProbe";
        assertEquals(1.0, scrape.value("temporal_workflow_completed_total", Map.of("workflow_type", type)));
        assertEquals(1.0, scrape.value("temporal_workflow_failed_total", Map.of("workflow_type", type)));
        // judge failed once per principle before succeeding.
        assertEquals(2.0, scrape.value("temporal_activity_execution_failed_total",
                Map.of("activity_type", "Judge")));
        assertTrue(scrape.value("temporal_activity_execution_latency_seconds_count",
                Map.of("activity_type", "Train", "task_queue", QUEUE)) >= 1);
        assertFalse(scrape.find("temporal_request_total", Map.of("operation", "StartWorkflowExecution")).isEmpty());
    }

    @Test
    void temporalHistogramsAreTrimmedToTheConfiguredBuckets() {
        Map<String, Set<String>> bucketsPerSeries = new HashMap<>();
        for (PrometheusText.Sample s : scrape.samples()) {
            if (s.name().startsWith("temporal_") && s.name().endsWith("_bucket")) {
                bucketsPerSeries.computeIfAbsent(s.name() + s.labelsWithoutLe(), k -> new TreeSet<>())
                        .add(s.labels().get("le"));
            }
        }
        assertFalse(bucketsPerSeries.isEmpty(), "no Temporal histogram was exported at all");
        Set<String> expected = new HashSet<>();
        for (Duration d : TemporalHistogramFilter.BUCKETS) {
            expected.add(String.valueOf(d.toNanos() / 1e9));
        }
        expected.add("+Inf");
        bucketsPerSeries.forEach((series, les) -> assertEquals(expected, les, series));
    }

    @Test
    void ourSeriesCarryWhatTheActivitiesRecorded() {
        Map<String, String> ppo = Map.of("phase", "ppo");
        assertEquals(LOSSES[LOSSES.length - 1], scrape.value("salmon_loss", ppo));
        assertEquals(0.75, scrape.value("salmon_reward", ppo), 1e-12);
        assertEquals(0.03, scrape.value("salmon_kl", ppo), 1e-12);
        assertEquals(3.0, scrape.value("salmon_step", ppo));
        assertEquals(1.0, scrape.value("salmon_progress_ratio", ppo));
        assertEquals(3.5, scrape.value("salmon_phase_metric", Map.of("phase", "ppo", "name", "entropy")));
        assertEquals(2 * 4096.0, scrape.value("salmon_tokens_total", ppo), "two probe runs");
        assertEquals(8000.0, scrape.value("salmon_tokens_per_second", ppo), 1e-9);
        assertEquals(2 * 3.0, scrape.value("salmon_preference_labels_total",
                Map.of("principle", "honest", "outcome", "kept")));
        assertEquals(2 * 2.0, scrape.value("salmon_preference_labels_total",
                Map.of("principle", "concise", "outcome", "dropped")));
        assertEquals(0.75, scrape.value("salmon_preference_grader_agreement", Map.of("principle", "concise")));
        assertEquals(7.0, scrape.value("salmon_preference_dataset_labels", Map.of("principle", "honest", "outcome", "kept")));
        assertEquals(3.0, scrape.value("salmon_preference_dataset_labels",
                Map.of("principle", "honest", "outcome", "dropped")));
        assertEquals(0.7, scrape.value("salmon_preference_order_swap_agreement", Map.of("principle", "honest")));
        assertEquals(-0.25, scrape.value("salmon_preference_position_bias", Map.of("principle", "concise")));
    }

    @Test
    void everyActivityAttemptIsTimedWithItsOutcome() {
        Map<String, String> judge = Map.of("activity", "Judge", "workflow", "MetricsProbe", "queue", QUEUE);
        Map<String, String> failed = new HashMap<>(judge);
        failed.put("outcome", "failure");
        Map<String, String> succeeded = new HashMap<>(judge);
        succeeded.put("outcome", "success");
        // Two principles judged in each of two probe runs; each principle's very first attempt failed.
        assertEquals(2.0, scrape.value("salmon_activity_duration_seconds_count", failed));
        assertEquals(4.0, scrape.value("salmon_activity_duration_seconds_count", succeeded));
        assertEquals(2.0, scrape.value("salmon_activity_duration_seconds_count",
                Map.of("activity", "Train", "outcome", "success")));
    }

    @Test
    void grafanaDashboardQueriesOnlySeriesTheWorkerExports() throws IOException {
        Path dashboard = DeployFiles.root().resolve("deploy/grafana/dashboards/salmon-run.json");
        JsonNode json = new ObjectMapper().readTree(dashboard.toFile());
        List<String> exprs = new ArrayList<>();
        json.findValues("expr").forEach(n -> exprs.add(n.asText()));
        json.path("templating").path("list").forEach(v -> {
            if (v.path("type").asText().equals("query")) {
                JsonNode q = v.path("query");
                exprs.add(labelValuesSelector(q.isTextual() ? q.asText() : q.path("query").asText()));
            }
        });
        assertTrue(exprs.size() >= 8, "dashboard has suspiciously few queries: " + exprs);
        assertOnlyExportedSeries(exprs, Set.of(), "the Grafana dashboard");
    }

    @Test
    void prometheusAlertsUseOnlySeriesTheWorkerExports() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory())
                .readTree(DeployFiles.root().resolve("deploy/prometheus/alerts.yml").toFile());
        List<String> exprs = new ArrayList<>();
        rules.path("groups").forEach(g -> g.path("rules").forEach(r -> exprs.add(r.get("expr").asText())));
        assertTrue(exprs.size() >= 3, "alerts: " + exprs);
        // `up` is written by Prometheus itself for every target.
        assertOnlyExportedSeries(exprs, Set.of("up"), "deploy/prometheus/alerts.yml");
    }

    static void assertOnlyExportedSeries(List<String> exprs, Set<String> alsoAllowed, String source) {
        Set<String> exported = scrape.names();
        Set<String> missing = new TreeSet<>();
        for (String expr : exprs) {
            for (String name : PromQl.metricNames(expr)) {
                if (!exported.contains(name) && !alsoAllowed.contains(name)) {
                    missing.add(name + " (in: " + expr + ")");
                }
            }
        }
        assertTrue(missing.isEmpty(), source + " queries series the worker does not export: " + missing);
    }

    @Test
    void onlyGetAndHeadAreServed() throws Exception {
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(metrics.endpoint())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        HttpResponse<String> ok = get(metrics.endpoint());
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertEquals(404, get(URI.create("http://127.0.0.1:" + metrics.port() + "/nope")).statusCode());
        // What Prometheus 3 asks for first: OpenMetrics, which ends with "# EOF".
        HttpResponse<String> open = http.send(HttpRequest.newBuilder(metrics.endpoint())
                .header("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.2")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(open.body().contains("salmon_preference_labels_total{"), open.body());
        assertTrue(open.body().stripTrailing().endsWith("# EOF"));
    }

    @Test
    void aBusyPortIsNamedInTheError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MetricsServer.start(new MetricsConfig("127.0.0.1", metrics.port(), Duration.ofSeconds(1))));
        assertTrue(e.getMessage().contains("127.0.0.1:" + metrics.port()), e.getMessage());
        assertTrue(e.getMessage().contains(MetricsConfig.ENV_PORT), e.getMessage());
    }

    /** label_values(selector, label) queries the selector; the label name is not a metric. */
    static String labelValuesSelector(String query) {
        String q = query.trim();
        if (q.startsWith("label_values(") && q.endsWith(")")) {
            String args = q.substring("label_values(".length(), q.length() - 1);
            int comma = args.lastIndexOf(',');
            return comma < 0 ? "" : args.substring(0, comma);
        }
        return q;
    }

    static HttpResponse<String> get(URI uri) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while scraping " + uri, e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
