package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A registered artifact row. */
public record Artifact(long id, String kind, String sha256, String uri, long bytes, JsonNode metadata,
        Long producedBy, Long runId, Instant createdAt) {}
