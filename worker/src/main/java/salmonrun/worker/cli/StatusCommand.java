package salmonrun.worker.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.DbConfig;
import salmonrun.worker.orchestration.RunFollower;
import salmonrun.worker.orchestration.TemporalConnection;
import salmonrun.workflows.common.PhaseProgress;
import salmonrun.workflows.run.RunState;

/** `salmon status [RUN]`: one run's phase and progress, or the recent runs from lineage. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a run's current phase and progress (step, loss, reward, KL), or list recent runs.")
public final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "SalmonRun workflow id.")
    String run;

    @Option(names = "--address", description = "Temporal service host:port (default: SALMON_TEMPORAL_ADDRESS or "
            + TemporalConnection.DEFAULT_ADDRESS + ").")
    String address;

    private String address() {
        return address != null ? address : TemporalConnection.addressFromEnv();
    }

    @Override
    public Integer call() throws SQLException {
        if (run == null) {
            return listRuns();
        }
        try (TemporalConnection connection = TemporalConnection.connect(address(), null)) {
            RunFollower follower = new RunFollower(connection.client());
            System.out.println(run + ": " + follower.executionStatus(run));
            RunState state = follower.state(run);
            Optional<PhaseProgress> progress = follower.progress(state);
            System.out.println(RunFollower.line(state, progress));
            if (state.currentChild() != null) {
                System.out.println("phase workflow: " + state.currentChild() + " (query `progress`, signal `pause`/`resume`)");
            }
        }
        return 0;
    }

    private int listRuns() throws SQLException {
        try (Database db = Database.connect(DbConfig.fromEnv()); Connection c = db.connection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT workflow_id, status, started_by, started_at, finished_at "
                     + "FROM run ORDER BY started_at DESC LIMIT 20")) {
            System.out.printf("%-48s %-10s %-12s %s%n", "RUN", "STATUS", "STARTED BY", "STARTED");
            while (rs.next()) {
                System.out.printf("%-48s %-10s %-12s %s%n", rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant());
            }
        }
        return 0;
    }
}
