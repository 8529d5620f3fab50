package salmonrun.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.activities.common.TemporalProgress;
import salmonrun.activities.salmon.Progress;

/**
 * Two activities of one phase running at once on one worker report progress through {@link TemporalProgress}
 * (what {@code StepRunner} gives every phase body): scraped over HTTP, each has its own {@code slot} series instead of
 * overwriting the other's, slots are reused by the next activities (bounded cardinality), and the cumulative
 * {@code tokens} figure they report adds up in {@code salmon_tokens_total}.
 */
class ConcurrentPhaseMetricsTest {
    static final String QUEUE = "slot-probe";
    static final String PHASE = "self_align.generate";

    static TestServer.PortBoundTestServer temporal;
    static MetricsServer metrics;
    static WorkflowServiceStubs stubs;
    static WorkerFactory factory;
    static WorkflowClient client;
    static final HttpClient http = HttpClient.newHttpClient();
    /** Counts down when both shards of the current run have made their first report. */
    static final AtomicReference<CountDownLatch> reported = new AtomicReference<>();
    /** Holds both shards after their first report until the test has scraped. */
    static final AtomicReference<CountDownLatch> scraped = new AtomicReference<>();

    @WorkflowInterface
    public interface TwoShards {
        @WorkflowMethod
        String run();
    }

    @ActivityInterface
    public interface ShardActivities {
        /** One generation shard: two progress reports with a running token total. */
        String generate(int shard);
    }

    public static class TwoShardsImpl implements TwoShards {
        private final ShardActivities activities = Workflow.newActivityStub(ShardActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(60)).build());

        @Override
        public String run() {
            Promise<String> a = Async.function(activities::generate, 0);
            Promise<String> b = Async.function(activities::generate, 1);
            return a.get() + b.get();
        }
    }

    static class ShardActivitiesImpl implements ShardActivities {
        @Override
        public String generate(int shard) {
            // No lineage execution is attached and reports to the workflow are off: only /metrics is exercised.
            try (TemporalProgress progress = new TemporalProgress(Activity.getExecutionContext(), null, PHASE,
                    Long.MAX_VALUE)) {
                progress.onProgress(new Progress("generate", 1, 2, Map.of("loss", 1.0 + shard,
                        "tokens", 100.0 * (shard + 1)), null));
                reported.get().countDown();
                await(scraped.get());
                progress.onProgress(new Progress("generate", 2, 2, Map.of("loss", 0.5 + shard,
                        "tokens", 250.0 * (shard + 1)), null));
            }
            return Integer.toString(shard);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        temporal = TestServer.createPortBoundServer(port);
        metrics = MetricsServer.start(new MetricsConfig("127.0.0.1", 0, Duration.ofMillis(100)));
        stubs = WorkflowServiceStubs.newServiceStubs(metrics.withMetrics(
                WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port)).build());
        client = WorkflowClient.newInstance(stubs);
        factory = WorkerFactory.newInstance(client,
                WorkerFactoryOptions.newBuilder().setWorkerInterceptors(metrics.activityInterceptor()).build());
        Worker worker = factory.newWorker(QUEUE,
                WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
        worker.registerWorkflowImplementationTypes(TwoShardsImpl.class);
        worker.registerActivitiesImplementations(new ShardActivitiesImpl());
        factory.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (factory != null) {
            factory.shutdownNow();
            factory.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (stubs != null) {
            stubs.shutdownNow();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (temporal != null) {
            temporal.close();
        }
    }

    @Test
    void concurrentActivitiesOfAPhaseKeepTheirOwnSeriesAndTokensAddUp() throws Exception {
        for (int run = 1; run <= 2; run++) {
            reported.set(new CountDownLatch(2));
            scraped.set(new CountDownLatch(1));
            TwoShards wf = client.newWorkflowStub(TwoShards.class,
                    WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("slots-" + run).build());
            WorkflowClient.start(wf::run);
            await(reported.get());

            PrometheusText during = scrape();
            List<PrometheusText.Sample> losses = during.find("salmon_loss", Map.of("phase", PHASE));
            assertEquals(2, losses.size(), "one loss series per running shard: " + losses);
            Set<String> slots = new TreeSet<>();
            Set<Double> values = new TreeSet<>();
            for (PrometheusText.Sample s : losses) {
                slots.add(s.labels().get("slot"));
                values.add(s.value());
            }
            assertEquals(Set.of("0", "1"), slots, "slots are the lowest free numbers, reused by the second run");
            assertEquals(Set.of(1.0, 2.0), values, "neither shard's loss overwrote the other's");
            assertEquals(2, during.find("salmon_step", Map.of("phase", PHASE)).size());
            // First reports: 100 + 200 tokens this run, on top of the previous run's 750.
            assertEquals(750.0 * (run - 1) + 300.0, during.value("salmon_tokens_total", Map.of("phase", PHASE)));

            scraped.get().countDown();
            assertEquals("01", io.temporal.client.WorkflowStub.fromTyped(wf).getResult(String.class));
            PrometheusText after = scrape();
            Set<Double> last = new TreeSet<>();
            after.find("salmon_loss", Map.of("phase", PHASE)).forEach(s -> last.add(s.value()));
            assertEquals(Set.of(0.5, 1.5), last, "each slot holds its shard's newest loss");
            // Running totals 250 and 500 at the end: the counter gained exactly the increases.
            assertEquals(750.0 * run, after.value("salmon_tokens_total", Map.of("phase", PHASE)));
        }
    }

    static PrometheusText scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return PrometheusText.parse(r.body());
    }
}
