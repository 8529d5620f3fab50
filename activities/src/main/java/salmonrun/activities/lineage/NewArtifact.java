package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** An artifact to register: a stored object, its kind and metadata, its producer and the artifacts it was made from. */
public record NewArtifact(String kind, StoredObject object, JsonNode metadata, Long producedBy, Long runId,
        List<ArtifactEdge> inputs) {}
