package salmonrun.activities.common;

/** Input that no retry can fix (unknown field, missing set, wrong artifact kind); fails the activity for good. */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
