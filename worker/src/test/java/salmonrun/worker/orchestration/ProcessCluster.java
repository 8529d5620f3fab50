package salmonrun.worker.orchestration;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * `salmon server` and rehearsal workers as separate JVMs on free ports, started from the test classpath and
 * always stopped (by their own process handles) when closed. Output goes to log files under target/.
 */
final class ProcessCluster implements AutoCloseable {
    final int port;
    final Path logs;
    private final Process server;
    private final List<Process> workers = new ArrayList<>();

    ProcessCluster(String name) throws IOException, InterruptedException {
        this.port = LocalTemporal.freePort();
        this.logs = Files.createDirectories(Path.of("target", "fault-logs", name));
        this.server = java(List.of("salmonrun.worker.SalmonCli", "server", "--port", String.valueOf(port)),
                logs.resolve("server.log"), Map.of());
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline || !server.isAlive()) {
                    throw new IllegalStateException("salmon server did not open port " + port + "; see " + logs);
                }
                Thread.sleep(100);
            }
        }
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Starts a worker JVM and waits until it polls. */
    Process worker(String identity, String dbUrl, Path store, String queues, int maxModel)
            throws IOException, InterruptedException {
        Process p = java(List.of("salmonrun.worker.SalmonCli", "worker", "--backend", "rehearsal", "--queues", queues,
                "--max-model-activities", String.valueOf(maxModel), "--identity", identity, "--report-millis", "500",
                // Several workers share this host: each serves metrics on a free port of its own.
                "--metrics-port", "0"),
                logs.resolve(identity + ".log"), Map.of("SALMON_TEMPORAL_ADDRESS", address(), "SALMON_DB_URL", dbUrl,
                        "SALMON_STORE", store.toString(),
                        "SALMON_METRICS_PORT", String.valueOf(LocalTemporal.freePort())));
        workers.add(p);
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.readString(logs.resolve(identity + ".log")).contains("salmon worker: rehearsal backend serving")) {
                return p;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("worker " + identity + " did not start; see " + logs.resolve(identity + ".log"));
    }

    /** kill -9. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    private static Process java(List<String> mainAndArgs, Path log, Map<String, String> env) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(cp);
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().putAll(env);
        return pb.start();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process w : workers) {
            kill(w);
        }
        server.destroy();
        if (!server.waitFor(5, TimeUnit.SECONDS)) {
            kill(server);
        }
    }
}
