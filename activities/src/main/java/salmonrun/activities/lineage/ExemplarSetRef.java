package salmonrun.activities.lineage;

import java.time.Instant;
import java.util.List;

/** An exemplar-set version as an audit shows it, with the executions of the run that used it. */
public record ExemplarSetRef(long id, String name, String contentHash, String createdBy, Instant createdAt,
        List<Long> usedByExecutions) {}
