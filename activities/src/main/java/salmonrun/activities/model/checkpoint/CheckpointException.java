package salmonrun.activities.model.checkpoint;

/** A checkpoint directory or file that cannot be used; the message names the file and tensor. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
