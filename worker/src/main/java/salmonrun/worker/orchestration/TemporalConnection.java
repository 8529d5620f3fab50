package salmonrun.worker.orchestration;

import com.uber.m3.tally.Scope;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.Map;

/**
 * A connection to the Temporal service at SALMON_TEMPORAL_ADDRESS (default 127.0.0.1:7233), namespace
 * SALMON_TEMPORAL_NAMESPACE (default "default"), and what kind of service it is.
 */
public final class TemporalConnection implements AutoCloseable {
    public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
    public static final String DEFAULT_NAMESPACE = "default";

    private final String address;
    private final WorkflowServiceStubs service;
    private final WorkflowClient client;

    private TemporalConnection(String address, WorkflowServiceStubs service, WorkflowClient client) {
        this.address = address;
        this.service = service;
        this.client = client;
    }

    /** The address from the environment. */
    public static String addressFromEnv() {
        return addressFrom(System.getenv());
    }

    static String addressFrom(Map<String, String> env) {
        String a = env.get("SALMON_TEMPORAL_ADDRESS");
        return a == null || a.isBlank() ? DEFAULT_ADDRESS : a.trim();
    }

    /** Connects (and checks the service answers within 10 s, naming the address when it does not). */
    public static TemporalConnection connect(String address, String identity) {
        return connect(address, identity, null);
    }

    /**
     * Connects like {@link #connect(String, String)}, reporting Temporal SDK metrics to {@code metricsScope}
     * (a worker's {@code MetricsServer.temporalScope()}); null reports nothing.
     */
    public static TemporalConnection connect(String address, String identity, Scope metricsScope) {
        String namespace = System.getenv().getOrDefault("SALMON_TEMPORAL_NAMESPACE", DEFAULT_NAMESPACE);
        WorkflowServiceStubsOptions.Builder stubOptions = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
        if (metricsScope != null) {
            stubOptions.setMetricsScope(metricsScope);
        }
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(stubOptions.build());
        try {
            service.blockingStub().withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            service.shutdownNow();
            throw new IllegalStateException("cannot reach the Temporal service at " + address + " ("
                    + e.getStatus().getCode() + "); start one with `salmon server` or set SALMON_TEMPORAL_ADDRESS", e);
        }
        WorkflowClientOptions.Builder options = WorkflowClientOptions.newBuilder().setNamespace(namespace);
        if (identity != null) {
            options.setIdentity(identity);
        }
        return new TemporalConnection(address, service, WorkflowClient.newInstance(service, options.build()));
    }

    public String address() {
        return address;
    }

    public WorkflowServiceStubs service() {
        return service;
    }

    public WorkflowClient client() {
        return client;
    }

    /**
     * Whether the service is the Java test server (`salmon server`): it reports no server version and does not
     * implement GetClusterInfo. That server never times out a sticky queue, so workers must not rely on one.
     */
    public boolean isLocalTestServer() {
        GetSystemInfoResponse info = service.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        if (!info.getServerVersion().isEmpty()) {
            return false;
        }
        try {
            service.blockingStub().getClusterInfo(GetClusterInfoRequest.getDefaultInstance());
            return false;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.UNIMPLEMENTED;
        }
    }

    @Override
    public void close() {
        service.shutdown();
        service.awaitTermination(Duration.ofSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
