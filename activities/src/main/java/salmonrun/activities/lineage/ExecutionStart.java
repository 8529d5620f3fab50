package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;

/** What {@link LineageRepository#startExecution} records for a phase execution attempt. */
public record ExecutionStart(Long runId, String phase, String idempotencyKey, String executionKey,
        String workerIdentity, Long principleSetId, Long exemplarSetId, JsonNode config) {}
