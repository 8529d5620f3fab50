package salmonrun.worker.orchestration;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import salmonrun.workflows.common.PhaseProgress;
import salmonrun.workflows.run.RunState;

/** Reads a run's state and its current phase's progress through queries, and prints them as one line. */
public final class RunFollower {
    private final WorkflowClient client;

    public RunFollower(WorkflowClient client) {
        this.client = client;
    }

    /** The run's state (query "state"). */
    public RunState state(String workflowId) {
        return client.newUntypedWorkflowStub(workflowId).query("state", RunState.class);
    }

    /** The current phase's progress, when a phase is running. */
    public Optional<PhaseProgress> progress(RunState state) {
        if (state.currentChild() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(client.newUntypedWorkflowStub(state.currentChild()).query("progress", PhaseProgress.class));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The workflow's execution status as the service reports it (RUNNING, COMPLETED, FAILED ...). */
    public WorkflowExecutionStatus executionStatus(String workflowId) {
        DescribeWorkflowExecutionResponse d = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build());
        return d.getWorkflowExecutionInfo().getStatus();
    }

    /** One line: status, phase, stage, step/total, figures, checkpoint, pause. */
    public static String line(RunState s, Optional<PhaseProgress> p) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.status());
        if (s.currentPhase() != null) {
            sb.append(" [").append(s.currentPhase()).append(']');
        }
        p.ifPresent(pp -> {
            sb.append(' ').append(pp.stage());
            if (pp.total() > 0) {
                sb.append(' ').append(pp.step()).append('/').append(pp.total());
            } else if (pp.step() > 0) {
                sb.append(" step ").append(pp.step());
            }
            if (pp.activity() != null && pp.activity().stage() != null) {
                sb.append(" (").append(pp.activity().stage()).append(' ').append(pp.activity().step());
                if (pp.activity().total() > 0) {
                    sb.append('/').append(pp.activity().total());
                }
                sb.append(')');
            }
            if (!pp.metrics().isEmpty()) {
                sb.append(' ').append(figures(pp.metrics()));
            }
            if (pp.checkpointArtifactId() != null) {
                sb.append(" ckpt=").append(pp.checkpointArtifactId());
            }
        });
        if (s.paused()) {
            sb.append(" PAUSED").append(s.pauseReason() == null ? "" : " (" + s.pauseReason() + ")");
        }
        if (!s.completedPhases().isEmpty()) {
            sb.append(" done=").append(String.join(",", s.completedPhases()));
        }
        if (s.error() != null) {
            sb.append(" error: ").append(s.error());
        }
        return sb.toString();
    }

    static String figures(Map<String, Double> m) {
        return m.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + String.format("%.4g", e.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** Prints a line whenever it changes, until the workflow closes; returns the final status. */
    public WorkflowExecutionStatus follow(String workflowId, PrintStream out, long pollMillis) throws InterruptedException {
        String last = "";
        while (true) {
            WorkflowExecutionStatus status = executionStatus(workflowId);
            try {
                RunState s = state(workflowId);
                String line = line(s, progress(s));
                if (!line.equals(last)) {
                    out.println(line);
                    out.flush();
                    last = line;
                }
            } catch (RuntimeException e) {
                // A query can fail briefly (no worker yet, workflow task in flight); try again.
            }
            if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                return status;
            }
            Thread.sleep(pollMillis);
        }
    }

    /** An untyped stub for a run. */
    public WorkflowStub stub(String workflowId) {
        return client.newUntypedWorkflowStub(workflowId);
    }
}
