package salmonrun.worker.cli;

import io.temporal.testserver.TestServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `salmon server`: a local Temporal service (the Java test server, standalone gRPC) for development. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a local Temporal service (the Java test server) until interrupted.")
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "7233", description = "gRPC port (default ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "salmon-server-shutdown"));
        System.out.println("salmon server: Temporal test server listening on 127.0.0.1:" + port
                + " (workers pointed here get a zero sticky-queue timeout automatically)");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
