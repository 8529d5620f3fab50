package salmonrun.worker.orchestration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BookkeepingActivitiesImpl;
import salmonrun.activities.common.PhaseValidation;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.DbConfig;
import salmonrun.workflows.common.TaskQueues;

/**
 * A worker process for the fault tests: the production SalmonWorker with the rehearsal activities.
 * Arguments: temporal-address db-url store-dir identity queues max-model-activities.
 */
public final class RehearsalWorkerMain {
    private RehearsalWorkerMain() {}

    public static void main(String[] args) throws Exception {
        String address = args[0];
        DbConfig db = new DbConfig(args[1], "postgres", "");
        Path store = Path.of(args[2]);
        String identity = args[3];
        Set<String> queues = new LinkedHashSet<>();
        for (String q : args[4].split(",")) {
            queues.add(TaskQueues.byName(q));
        }
        int maxModel = Integer.parseInt(args[5]);
        Database database = Database.connect(db);
        ActivityServices services = ActivityServices.of(database, new ArtifactStore(store));
        TemporalConnection connection = TemporalConnection.connect(address, identity);
        SalmonWorker worker = SalmonWorker.start(connection, new SalmonWorker.Settings(queues, maxModel, null), List.of(
                new BookkeepingActivitiesImpl(services, new PhaseValidation(services)),
                new RehearsalActivities(services, 500)));
        Duration sticky = worker.stickyScheduleToStart();
        System.out.println("READY " + identity + " sticky=" + sticky);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
