package salmonrun.activities.lineage;

/** No artifact row with the given id. */
public final class NoSuchArtifactException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long id;

    public NoSuchArtifactException(long id) {
        super("no artifact with id " + id);
        this.id = id;
    }

    /** The id that was looked up. */
    public long id() {
        return id;
    }
}
