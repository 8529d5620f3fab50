package salmonrun.activities.lineage;

/** A stored lineage edge: artifactId was made from inputArtifactId in the given role. */
public record LineageEdge(long artifactId, long inputArtifactId, String role) {}
