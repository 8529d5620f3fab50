package salmonrun.activities.principles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import salmonrun.activities.salmon.SelfAlignPrompt;
import salmonrun.activities.sandbox.SandboxFormats;

/**
 * The internal-thoughts prefix is spelled in three places (exemplar validation, the self-align
 * prompt and filter, the sandbox corpus); if they drift, the filter silently drops every generation.
 */
class ThoughtsPrefixAgreementTest {

    @Test
    void everyCopyOfThePrefixIsTheSame() {
        assertEquals(Exemplar.THOUGHTS_PREFIX, SelfAlignPrompt.THOUGHTS_PREFIX);
        assertEquals(Exemplar.THOUGHTS_PREFIX, SandboxFormats.THOUGHT_PREFIX);
    }
}
