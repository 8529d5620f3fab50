package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One phase execution row: status running|completed|failed, attempts so far, named output artifact ids. */
public record PhaseExecution(long id, Long runId, String phase, String idempotencyKey, String executionKey,
        String status, int attempt, String workerIdentity, Map<String, Long> outputs, JsonNode metrics) {

    /** Whether the execution finished successfully (its outputs can be reused). */
    public boolean completed() {
        return "completed".equals(status);
    }
}
