package salmonrun.activities.lineage;

/** An object in the {@link ArtifactStore}: its sha256, size in bytes, where it lives, and whether it is a directory. */
public record StoredObject(String sha256, long bytes, String uri, boolean directory) {}
