package salmonrun.activities.principles;

import java.time.Instant;
import java.util.Map;

/** A stored principle set's metadata and how many principles it has per role. */
public record PrincipleSetSummary(long id, String name, String contentHash, Long parentId, String createdBy,
                                  String note, Instant createdAt, Map<Role, Integer> counts) {

    public PrincipleSetSummary {
        counts = Map.copyOf(counts);
    }

    /** The number of principles with this role. */
    public int count(Role role) {
        return counts.getOrDefault(role, 0);
    }
}
