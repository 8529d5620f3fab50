package salmonrun.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.TestDatabases;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.run.SalmonRunWorkflow;

/**
 * The real `salmon worker` command in its own JVM, against a Temporal test server over gRPC and a fresh
 * lineage database: its /metrics (on --metrics-port) must carry Temporal SDK series for both queues and our
 * timing of the SalmonRun bookkeeping activity it executes, and it must stop cleanly on SIGTERM.
 */
class WorkerProcessMetricsTest {

    @Test
    void salmonWorkerServesTemporalAndActivityMetrics() throws Exception {
        int temporalPort = freePort();
        int metricsPort = freePort();
        Path store = Files.createTempDirectory("salmon-metrics-store");
        Path log = Files.createDirectories(Path.of("target", "worker-metrics")).resolve("worker.log");
        Database db = TestDatabases.createFresh();
        Process worker = null;
        WorkflowServiceStubs stubs = null;
        try (TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(temporalPort)) {
            worker = startWorker(temporalPort, metricsPort, db, store, log);
            URI endpoint = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");

            PrometheusText ready = awaitScrape(endpoint, worker, log, s ->
                    !s.find("temporal_num_pollers", Map.of("task_queue", TaskQueues.CONTROL)).isEmpty()
                            && !s.find("temporal_num_pollers", Map.of("task_queue", TaskQueues.MODEL)).isEmpty());
            assertFalse(ready.find("jvm_memory_used_bytes", Map.of()).isEmpty());

            // A run the worker starts executing: SalmonRun validates, then records the run through the
            // OpenRun activity on the control queue. Whatever eval does with a missing model afterwards,
            // OpenRun has been timed by then.
            stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget("127.0.0.1:" + temporalPort).build());
            WorkflowClient client = WorkflowClient.newInstance(stubs);
            ObjectNode spec = new ObjectMapper().createObjectNode();
            spec.putArray("phases").add("eval");
            spec.put("baseModel", 999_999_999L);
            WorkflowStub run = client.newUntypedWorkflowStub(SalmonRunWorkflow.TYPE, WorkflowOptions.newBuilder()
                    .setTaskQueue(TaskQueues.CONTROL).setWorkflowId("metrics-process-run").build());
            run.start(spec);

            PrometheusText afterRun = awaitScrape(endpoint, worker, log, s -> !s.find(
                    "salmon_activity_duration_seconds_count", Map.of("activity", "OpenRun")).isEmpty());
            assertEquals(1.0, afterRun.value("salmon_activity_duration_seconds_count", Map.of("activity", "OpenRun",
                    "workflow", SalmonRunWorkflow.TYPE, "queue", TaskQueues.CONTROL, "outcome", "success")));
            assertFalse(afterRun.find("temporal_workflow_task_execution_latency_seconds_count",
                    Map.of("workflow_type", SalmonRunWorkflow.TYPE)).isEmpty());
            run.terminate("test done");
            assertTrue(Files.readString(log).contains("metrics at http://127.0.0.1:" + metricsPort + "/metrics"));

            worker.destroy(); // SIGTERM: the shutdown hook closes the worker, database and metrics endpoint
            assertTrue(worker.waitFor(30, TimeUnit.SECONDS), "worker did not stop on SIGTERM; see " + log);
            try (ServerSocket again = new ServerSocket(metricsPort)) {
                assertEquals(metricsPort, again.getLocalPort(), "the metrics port is released");
            }
        } finally {
            if (worker != null && worker.isAlive()) {
                worker.destroyForcibly();
                worker.waitFor(10, TimeUnit.SECONDS);
            }
            if (stubs != null) {
                stubs.shutdownNow();
            }
            TestDatabases.drop(db);
        }
    }

    static Process startWorker(int temporalPort, int metricsPort, Database db, Path store, Path log)
            throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", cp, "salmonrun.worker.SalmonCli", "worker",
                "--queues", "control,model", "--metrics-port", String.valueOf(metricsPort),
                "--metrics-bind", "127.0.0.1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SALMON_TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
        env.put("SALMON_DB_URL", db.config().url());
        env.put("SALMON_DB_USER", db.config().user());
        env.put("SALMON_DB_PASSWORD", db.config().password());
        env.put("SALMON_STORE", store.toString());
        env.put("SALMON_METRICS_REPORT_INTERVAL_MS", "200");
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    interface Ready {
        boolean test(PrometheusText scrape);
    }

    static PrometheusText awaitScrape(URI endpoint, Process worker, Path log, Ready ready) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        PrometheusText last = null;
        while (System.nanoTime() < deadline) {
            if (!worker.isAlive()) {
                throw new AssertionError("salmon worker exited " + worker.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = PrometheusText.parse(r.body());
                if (ready.test(last)) {
                    return last;
                }
            } catch (IOException notListeningYet) {
                // the JVM is still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("metrics never became ready; last scrape names: "
                + (last == null ? "none" : last.names()) + "\nworker log:\n" + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
