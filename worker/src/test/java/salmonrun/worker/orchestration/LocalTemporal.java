package salmonrun.worker.orchestration;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import salmonrun.activities.common.BookkeepingActivitiesImpl;
import salmonrun.activities.common.PhaseValidation;
import salmonrun.worker.rehearsal.RehearsalActivities;
import salmonrun.workflows.common.TaskQueues;

/** The Java test server on a free port in this JVM, plus a SalmonWorker with the rehearsal activities. */
final class LocalTemporal implements AutoCloseable {
    final int port;
    final TestServer.PortBoundTestServer server;
    final TemporalConnection connection;
    final SalmonWorker worker;

    LocalTemporal(Rehearsal world) throws IOException {
        this.port = freePort();
        this.server = TestServer.createPortBoundServer(port);
        this.connection = TemporalConnection.connect("127.0.0.1:" + port, "test-worker");
        this.worker = SalmonWorker.start(connection, new SalmonWorker.Settings(Set.of(TaskQueues.CONTROL,
                TaskQueues.MODEL), 2, null), List.of(
                new BookkeepingActivitiesImpl(world.services, new PhaseValidation(world.services)),
                new RehearsalActivities(world.services, 200)));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        worker.close();
        connection.close();
        server.close();
    }
}
