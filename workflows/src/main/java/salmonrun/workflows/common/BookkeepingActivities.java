package salmonrun.workflows.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Map;

/** Lineage bookkeeping on the control queue: runs, phase executions (memoization), validation, audit. */
@ActivityInterface
public interface BookkeepingActivities {

    /** Records (idempotently) the run row for a SalmonRun workflow id; returns the lineage run id. */
    @ActivityMethod(name = "OpenRun")
    long openRun(String workflowId, JsonNode spec, String startedBy);

    /** Sets the run's status: running, completed, failed or cancelled. */
    @ActivityMethod(name = "SetRunStatus")
    void setRunStatus(long runId, String status);

    /**
     * Checks a phase's references and config before any work: artifacts exist and are of the expected kind,
     * principle and exemplar sets exist, the config parses. Throws BadInput naming the problem.
     */
    @ActivityMethod(name = "ValidatePhase")
    void validatePhase(String phase, Map<String, Long> inputs, Long principleSetId, Long exemplarSetId,
                       JsonNode config);

    /** Opens the phase execution row, or returns the completed execution with the same key (unless forced). */
    @ActivityMethod(name = "BeginPhase")
    PhaseBegin beginPhase(PhaseStart start);

    /** Marks the phase execution completed with its outputs and figures. */
    @ActivityMethod(name = "CompletePhase")
    void completePhase(long executionId, Map<String, Long> outputs, Map<String, Double> metrics);

    /** Marks the phase execution failed with the error text. */
    @ActivityMethod(name = "FailPhase")
    void failPhase(long executionId, String error);
}
