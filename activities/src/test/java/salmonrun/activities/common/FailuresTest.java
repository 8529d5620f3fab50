package salmonrun.activities.common;

import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import salmonrun.activities.lineage.NoSuchArtifactException;
import salmonrun.activities.salmon.InvalidConfigException;
import salmonrun.workflows.common.StrictJson;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailuresTest {

    @Test
    void badInputIsFoundAnywhereInTheCauseChainIncludingSubclasses() {
        assertTrue(Failures.isBadInput(new BadInputException("no such principle set 'x'")));
        assertTrue(Failures.isBadInput(new RuntimeException("wrapped", new NoSuchArtifactException(7))));
        // Subclasses of a bad-input type are bad input too (a simple-name match missed these).
        assertTrue(Failures.isBadInput(new InvalidConfigException("learningRate", "must be positive")));
        assertTrue(Failures.isBadInput(new NumberFormatException("For input string: \"x\"")));
        assertFalse(Failures.isBadInput(new UncheckedIOException(new IOException("connection reset"))));
        assertFalse(Failures.isBadInput(new IllegalStateException("worker lost")));
    }

    @Test
    void theActivityFailureIsNonRetryableAndCarriesTheBadInputMessage() {
        RuntimeException failure = Failures.toActivityFailure(
                new RuntimeException("phase failed", new BadInputException("prompt file line 3: missing 'instruction'")));
        ApplicationFailure af = (ApplicationFailure) failure;
        assertTrue(af.isNonRetryable());
        assertEquals(StrictJson.BAD_INPUT, af.getType());
        assertEquals("prompt file line 3: missing 'instruction'", af.getOriginalMessage());

        IllegalStateException transientFailure = new IllegalStateException("database restarting");
        assertSame(transientFailure, Failures.toActivityFailure(transientFailure), "left to the retry policy");
        ApplicationFailure already = ApplicationFailure.newFailure("as thrown", "Custom");
        assertSame(already, Failures.toActivityFailure(already));
    }
}
