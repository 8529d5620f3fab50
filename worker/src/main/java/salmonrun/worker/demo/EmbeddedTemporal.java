package salmonrun.worker.demo;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import salmonrun.worker.orchestration.SalmonWorker;
import salmonrun.worker.orchestration.TemporalConnection;
import salmonrun.workflows.common.TaskQueues;

/**
 * A Temporal service and a worker inside this JVM: the Java test server on a free port and one
 * {@link SalmonWorker} serving both task queues. The worker recognises the test server and sets the sticky-queue
 * schedule-to-start timeout to zero by itself (see {@link SalmonWorker#start}).
 */
public final class EmbeddedTemporal implements AutoCloseable {
    private final TestServer.PortBoundTestServer server;
    private final TemporalConnection connection;
    private final SalmonWorker worker;
    private final int port;

    private EmbeddedTemporal(TestServer.PortBoundTestServer server, int port, TemporalConnection connection,
                             SalmonWorker worker) {
        this.server = server;
        this.port = port;
        this.connection = connection;
        this.worker = worker;
    }

    /** Starts the service on a free port and a worker with {@code activities} on the control and model queues. */
    public static EmbeddedTemporal start(List<Object> activities, int maxModelActivities, String identity) {
        int port = freePort();
        TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port);
        TemporalConnection connection = null;
        try {
            connection = TemporalConnection.connect("127.0.0.1:" + port, identity);
            SalmonWorker worker = SalmonWorker.start(connection, new SalmonWorker.Settings(
                    Set.of(TaskQueues.CONTROL, TaskQueues.MODEL), maxModelActivities, null), activities);
            return new EmbeddedTemporal(server, port, connection, worker);
        } catch (RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            server.close();
            throw e;
        }
    }

    /** The connection clients use to start and follow workflows. */
    public TemporalConnection connection() {
        return connection;
    }

    /** The gRPC port the service listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** The worker (for its sticky-queue setting). */
    public SalmonWorker worker() {
        return worker;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for the embedded Temporal service", e);
        }
    }

    /** Stops the worker (waiting briefly for running tasks), the client connection and the service. */
    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            try {
                connection.close();
            } finally {
                server.close();
            }
        }
    }
}
