package salmonrun.activities.principles;

/**
 * The outcome of importing a set: its id and content hash, whether this import created the row
 * (false when the same content was already stored) and, for principle sets, the parent version.
 */
public record ImportResult(long id, String contentHash, boolean created, Long parentId) {}
