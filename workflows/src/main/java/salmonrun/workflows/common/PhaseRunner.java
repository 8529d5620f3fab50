package salmonrun.workflows.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The frame every phase workflow runs in: validate the phase's references, open its lineage execution (or reuse
 * a completed one with the same execution key), run the body, and record completion or failure.
 */
public final class PhaseRunner {
    private final BookkeepingActivities bookkeeping =
            Workflow.newActivityStub(BookkeepingActivities.class, ActivityStubOptions.control());

    /** The outputs a phase body produced. */
    public record BodyResult(Map<String, Long> outputs, Map<String, Double> metrics) {}

    /** Runs {@code body(executionId)} unless memoized; validation happens first, before any work. */
    public PhaseOutputs run(PhaseStart start, Map<String, Long> namedInputs, JsonNode phaseConfig, PhaseState state,
                            LongFunction<BodyResult> body) {
        PhaseBegin begin = begin(start, namedInputs, phaseConfig, state);
        if (begin.memoized()) {
            return new PhaseOutputs(start.phase(), begin.executionId(), true, begin.outputs(), begin.metrics());
        }
        try {
            BodyResult result = body.apply(begin.executionId());
            return complete(start.phase(), begin.executionId(), result, state);
        } catch (TemporalFailure e) {
            fail(begin.executionId(), e);
            throw e;
        }
    }

    /** Validates the phase's references and opens (or reuses) its lineage execution. */
    public PhaseBegin begin(PhaseStart start, Map<String, Long> namedInputs, JsonNode phaseConfig, PhaseState state) {
        state.stage("validating", 0);
        bookkeeping.validatePhase(start.phase(), namedInputs, start.principleSetId(), start.exemplarSetId(),
                phaseConfig);
        PhaseBegin begin = bookkeeping.beginPhase(start);
        if (begin.memoized()) {
            state.stage("memoized", 0);
        }
        return begin;
    }

    /** Records the phase execution as completed. */
    public PhaseOutputs complete(String phase, long executionId, BodyResult result, PhaseState state) {
        bookkeeping.completePhase(executionId, result.outputs(), result.metrics());
        state.stage("completed", 0);
        return new PhaseOutputs(phase, executionId, false, result.outputs(), result.metrics());
    }

    /** Records the phase execution as failed, even while the workflow is being cancelled. */
    public void fail(long executionId, TemporalFailure e) {
        String message = describe(e);
        Workflow.newDetachedCancellationScope(() -> bookkeeping.failPhase(executionId, message)).run();
    }

    /** The innermost message of a failure chain (the activity's own error text). */
    public static String describe(Throwable e) {
        if (e instanceof CanceledFailure) {
            return "cancelled";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String where = e instanceof ActivityFailure af ? af.getActivityType() + ": " : "";
        return where + t.getMessage();
    }
}
