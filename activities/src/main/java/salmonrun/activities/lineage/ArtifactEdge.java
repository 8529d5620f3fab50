package salmonrun.activities.lineage;

/** A lineage edge: the artifact being registered was made from inputArtifactId, in the given role. */
public record ArtifactEdge(long inputArtifactId, String role) {}
