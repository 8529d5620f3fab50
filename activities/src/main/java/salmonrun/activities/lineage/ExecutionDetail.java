package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A phase execution with the columns audits need beyond {@link PhaseExecution}. */
public record ExecutionDetail(PhaseExecution execution, Long principleSetId, Long exemplarSetId, JsonNode config,
        String error, Instant startedAt, Instant finishedAt) {}
