package salmonrun.worker.cli;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BookkeepingActivitiesImpl;
import salmonrun.activities.common.PhaseValidation;
import salmonrun.worker.rehearsal.RehearsalActivities;
import salmonrun.activities.common.ProductionActivities;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.DbConfig;
import salmonrun.worker.metrics.MetricsOptions;
import salmonrun.worker.metrics.MetricsServer;
import salmonrun.worker.orchestration.SalmonWorker;
import salmonrun.worker.orchestration.TemporalConnection;
import salmonrun.workflows.common.TaskQueues;

/** `salmon worker`: polls the given task queues until interrupted. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run a worker on the control and/or model task queues (SALMON_TEMPORAL_ADDRESS, SALMON_DB_*, SALMON_STORE); "
                + "serves Prometheus metrics at /metrics (SALMON_METRICS_PORT, default 9464).")
public final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--queues", split = ",", defaultValue = "control,model",
            description = "Task queues to serve: control, model (default ${DEFAULT-VALUE}).")
    List<String> queues;

    @Option(names = "--max-model-activities", defaultValue = "1",
            description = "Model activities (generation, judging, training) run at once (default ${DEFAULT-VALUE}).")
    int maxModelActivities;

    @Option(names = "--identity", description = "Worker identity recorded in lineage (default: pid@host).")
    String identity;

    @Option(names = "--sticky-timeout-seconds", defaultValue = "-1",
            description = "Sticky-queue schedule-to-start timeout; -1 chooses (0 for `salmon server`, SDK default otherwise).")
    int stickySeconds;

    @Mixin
    MetricsOptions metricsOptions = new MetricsOptions();

    @Option(names = "--backend", defaultValue = "production",
            description = "Activity implementations: production (SALMON phases) or rehearsal (tiny trainer that "
                    + "exercises the orchestration only; fault tests and benchmarks).")
    String backend;

    @Option(names = "--report-millis", defaultValue = "2000",
            description = "How often running activities report progress to their workflow (default ${DEFAULT-VALUE}).")
    long reportMillis;

    @Override
    public Integer call() throws InterruptedException {
        Set<String> served = new LinkedHashSet<>();
        for (String q : queues) {
            served.add(TaskQueues.byName(q));
        }
        String address = TemporalConnection.addressFromEnv();
        // First, so a busy metrics port fails before anything connects.
        MetricsServer metrics = metricsOptions.start();
        Database db;
        TemporalConnection connection;
        try {
            db = Database.connect(DbConfig.fromEnv());
            connection = TemporalConnection.connect(address, identity,
                    metrics == null ? null : metrics.temporalScope());
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        ActivityServices services = ActivityServices.of(db, ArtifactStore.fromEnv());
        List<Object> activities = switch (backend) {
            case "production" -> ProductionActivities.create(services, reportMillis);
            case "rehearsal" -> List.of(new BookkeepingActivitiesImpl(services, new PhaseValidation(services)),
                    new RehearsalActivities(services, reportMillis));
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--backend must be production or rehearsal, got " + backend);
        };
        SalmonWorker worker = SalmonWorker.start(connection, new SalmonWorker.Settings(served, maxModelActivities,
                stickySeconds < 0 ? null : Duration.ofSeconds(stickySeconds)), activities,
                metrics == null ? List.of() : List.of(metrics.activityInterceptor()));
        System.out.println("salmon worker: " + backend + " backend serving " + served + " at " + address + " as "
                + connection.client().getOptions().getIdentity() + ", up to " + maxModelActivities
                + " model activities at once");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            connection.close();
            db.close();
            if (metrics != null) {
                metrics.close();
            }
            stopped.countDown();
        }, "salmon-worker-shutdown"));
        stopped.await();
        return 0;
    }
}
