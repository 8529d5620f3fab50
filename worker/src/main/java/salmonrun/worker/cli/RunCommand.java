package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import salmonrun.worker.orchestration.RunFollower;
import salmonrun.worker.orchestration.TemporalConnection;
import salmonrun.workflows.common.StrictJson;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.RunSpec;
import salmonrun.workflows.run.SalmonRunWorkflow;

/** `salmon run SPEC.json`: starts a SalmonRun and follows it with a progress line. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a SalmonRun workflow from a RunSpec JSON file and follow its progress.")
public final class RunCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "SPEC.json", description = "The RunSpec (see docs/orchestration.md).")
    Path spec;

    @Option(names = "--id", description = "Workflow id (default: salmon-<spec name>-<time>).")
    String id;

    @Option(names = "--force", description = "Re-run phases even when lineage has a completed execution with the same key.")
    boolean force;

    @Option(names = "--detach", description = "Start and print the workflow id without following.")
    boolean detach;

    @Option(names = "--address", description = "Temporal service host:port (default: SALMON_TEMPORAL_ADDRESS or "
            + TemporalConnection.DEFAULT_ADDRESS + ").")
    String address;

    private String address() {
        return address != null ? address : TemporalConnection.addressFromEnv();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        JsonNode json;
        try {
            json = JSON.readTree(Files.readString(spec));
        } catch (IOException e) {
            System.err.println("salmon run: cannot read " + spec + ": " + e.getMessage());
            return 2;
        }
        if (force && json instanceof ObjectNode o) {
            o.put("force", true);
        }
        RunSpec parsed;
        try {
            parsed = StrictJson.read(json, RunSpec.class, spec.getFileName().toString());
        } catch (ApplicationFailure e) {
            System.err.println("salmon run: " + e.getOriginalMessage());
            return 2;
        }
        String workflowId = id != null ? id : "salmon-" + parsed.name().replaceAll("[^A-Za-z0-9_.-]", "-") + "-"
                + System.currentTimeMillis();
        try (TemporalConnection connection = TemporalConnection.connect(address(), null)) {
            WorkflowStub stub = connection.client().newUntypedWorkflowStub(SalmonRunWorkflow.TYPE,
                    WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TaskQueues.CONTROL).build());
            stub.start(json);
            System.out.println("started " + SalmonRunWorkflow.TYPE + " " + workflowId + " on " + connection.address());
            if (detach) {
                return 0;
            }
            RunFollower follower = new RunFollower(connection.client());
            WorkflowExecutionStatus status = follower.follow(workflowId, System.out, 1000);
            try {
                RunResult result = stub.getResult(RunResult.class);
                System.out.println(JSON.writeValueAsString(result));
                return 0;
            } catch (WorkflowFailedException e) {
                System.err.println("salmon run: " + workflowId + " " + status + ": " + rootMessage(e));
                return 1;
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof ApplicationFailure af ? af.getOriginalMessage() : t.getMessage();
    }
}
