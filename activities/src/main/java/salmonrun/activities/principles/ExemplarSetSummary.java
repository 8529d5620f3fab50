package salmonrun.activities.principles;

import java.time.Instant;

/** A stored exemplar set's metadata and size. */
public record ExemplarSetSummary(long id, String name, String contentHash, String createdBy, Instant createdAt,
                                 int exemplars) {}
