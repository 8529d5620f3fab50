package salmonrun.worker.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * `salmon server` and `salmon worker` as child JVMs of this one (same classpath), on a free port, logging to
 * files; every process started here is stopped on close, by its own handle.
 */
public final class LocalProcesses implements AutoCloseable {
    private final Path logs;
    private final int port;
    private final Process server;
    private final List<Process> workers = new ArrayList<>();

    /** Starts `salmon server` on a free port and waits for it to listen. */
    public LocalProcesses(Path logs) throws IOException, InterruptedException {
        this.logs = Files.createDirectories(logs);
        this.port = freePort();
        this.server = java(List.of("server", "--port", String.valueOf(port)), logs.resolve("server.log"), Map.of());
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline || !server.isAlive()) {
                    close();
                    throw new IllegalStateException("salmon server did not open port " + port + "; see " + logs);
                }
                Thread.sleep(100);
            }
        }
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Starts `salmon worker --backend rehearsal` and waits until it polls. */
    public Process rehearsalWorker(String identity, String dbUrl, Path store, int maxModel)
            throws IOException, InterruptedException {
        Path log = logs.resolve(identity + ".log");
        Process p = java(List.of("worker", "--backend", "rehearsal", "--queues", "control,model",
                "--max-model-activities", String.valueOf(maxModel), "--identity", identity, "--report-millis", "1000",
                "--metrics-port", "0"), // several workers on one host: a free metrics port each
                log, Map.of("SALMON_TEMPORAL_ADDRESS", address(), "SALMON_DB_URL", dbUrl, "SALMON_STORE", store.toString()));
        workers.add(p);
        long deadline = System.currentTimeMillis() + 180_000; // a loaded machine starts JVMs slowly
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            if (Files.readString(log).contains("salmon worker: rehearsal backend serving")) {
                return p;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("worker " + identity + " did not start; see " + log);
    }

    /** SIGKILL, and wait for the process to be gone. */
    public static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process java(List<String> args, Path log, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add("salmonrun.worker.SalmonCli");
        cmd.addAll(args);
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
