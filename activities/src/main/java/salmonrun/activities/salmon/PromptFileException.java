package salmonrun.activities.salmon;

/** A prompt file that cannot be imported; the message names the file, the line and the field. */
public final class PromptFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PromptFileException(String message) {
        super(message);
    }

    public PromptFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
