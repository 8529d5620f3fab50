package salmonrun.activities.lineage;

import java.time.Instant;
import java.util.List;

/** A principle-set version as an audit shows it, with the executions of the run that used it. */
public record PrincipleSetRef(long id, String name, String contentHash, Long parentId, String createdBy, String note,
        Instant createdAt, List<Long> usedByExecutions) {}
