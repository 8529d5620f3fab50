package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One audit log row: who did what to which run, when and why, chained to the previous row by hash. */
public record AuditEvent(long id, Long runId, String actor, String action, String reason, JsonNode payload,
        Instant createdAt, String prevHash, String hash) {}
