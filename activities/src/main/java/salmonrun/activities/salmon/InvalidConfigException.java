package salmonrun.activities.salmon;

/** A phase configuration value is out of range or unknown; the message names the field. */
public final class InvalidConfigException extends IllegalArgumentException {
    private final String field;

    public InvalidConfigException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The offending field, dotted for nested values (e.g. {@code boosts[1].bonus}). */
    public String field() {
        return field;
    }
}
