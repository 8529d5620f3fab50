package salmonrun.workflows.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Opens a phase execution in lineage: the phase, its config and inputs form the execution key that
 * memoization matches (with the code version and artifact/principle-set hashes looked up by the activity).
 */
public record PhaseStart(Long runId, String phase, JsonNode config, List<Long> inputArtifactIds,
                         Long principleSetId, Long exemplarSetId, boolean force) {

    public PhaseStart {
        inputArtifactIds = List.copyOf(inputArtifactIds);
    }
}
