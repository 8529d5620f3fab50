package salmonrun.activities.common;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import salmonrun.activities.lineage.ArtifactCorruptException;
import salmonrun.activities.lineage.NoSuchArtifactException;
import salmonrun.activities.salmon.PromptFileException;
import salmonrun.workflows.common.StrictJson;

/**
 * Sorts exceptions into bad input (non-retryable {@code BadInput} failure, message naming the problem) and
 * everything else (left to the retry policy: database blips, lost workers, IO hiccups).
 */
public final class Failures {
    /** Exception types (and their subclasses) that mean "the input is wrong". */
    private static final List<Class<? extends Throwable>> BAD_INPUT_TYPES = List.of(
            BadInputException.class, ArtifactCorruptException.class, NoSuchArtifactException.class,
            PromptFileException.class, UnrecognizedPropertyException.class,
            // The phase classes are deterministic and use it for inputs they cannot work with (an empty
            // dataset, a principle set without the needed role; InvalidConfigException is one): retrying the
            // same inputs cannot succeed.
            IllegalArgumentException.class);

    private Failures() {}

    /** Whether {@code e} or one of its causes is a bad-input exception. */
    public static boolean isBadInput(Throwable e) {
        return badInputCause(e) != null;
    }

    /** The non-retryable failure for a bad-input exception, keeping its message. */
    public static ApplicationFailure badInput(Throwable e) {
        Throwable t = badInputCause(e);
        String message = (t != null ? t : e).getMessage();
        return ApplicationFailure.newNonRetryableFailureWithCause(message, StrictJson.BAD_INPUT,
                e instanceof Exception ex ? ex : null);
    }

    /** The first exception in {@code e}'s cause chain that is bad input, or null. */
    private static Throwable badInputCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Throwable current = t;
            if (BAD_INPUT_TYPES.stream().anyMatch(type -> type.isInstance(current))) {
                return t;
            }
        }
        return null;
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
