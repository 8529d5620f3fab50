package salmonrun.activities.common;

import io.temporal.failure.ApplicationFailure;
import java.util.Set;
import salmonrun.workflows.common.StrictJson;

/**
 * Sorts exceptions into bad input (non-retryable {@code BadInput} failure, message naming the problem) and
 * everything else (left to the retry policy: database blips, lost workers, IO hiccups).
 */
public final class Failures {
    /** Exception classes (simple names) from other packages that mean "the input is wrong". */
    private static final Set<String> BAD_INPUT_TYPES = Set.of(
            "BadInputException", "ArtifactCorruptException", "NoSuchArtifactException", "InvalidConfigException",
            "PrincipleSetNotFoundException", "NoSuchPrincipleSetException", "CheckpointFormatException",
            "PromptFileException", "UnrecognizedPropertyException", "InvalidSpecException",
            // The phase classes are deterministic and use it for inputs they cannot work with (an empty
            // dataset, a principle set without the needed role): retrying the same inputs cannot succeed.
            "IllegalArgumentException");

    private Failures() {}

    /** Whether {@code e} or one of its causes is a bad-input exception. */
    public static boolean isBadInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (BAD_INPUT_TYPES.contains(t.getClass().getSimpleName())) {
                return true;
            }
        }
        return false;
    }

    /** The non-retryable failure for a bad-input exception, keeping its message. */
    public static ApplicationFailure badInput(Throwable e) {
        Throwable t = e;
        while (t != null && !BAD_INPUT_TYPES.contains(t.getClass().getSimpleName())) {
            t = t.getCause();
        }
        String message = (t != null ? t : e).getMessage();
        return ApplicationFailure.newNonRetryableFailureWithCause(message, StrictJson.BAD_INPUT,
                e instanceof Exception ex ? ex : null);
    }

    /** The failure to throw from an activity for {@code e}: non-retryable when it is bad input. */
    public static RuntimeException toActivityFailure(Exception e) {
        if (e instanceof ApplicationFailure af) {
            return af;
        }
        if (isBadInput(e)) {
            return badInput(e);
        }
        return e instanceof RuntimeException re ? re : io.temporal.activity.Activity.wrap(e);
    }
}
