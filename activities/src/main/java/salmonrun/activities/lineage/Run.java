package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A run row: one SalmonRun workflow, its spec and status. */
public record Run(long id, String workflowId, JsonNode spec, String status, String startedBy, Instant startedAt,
        Instant finishedAt) {}
