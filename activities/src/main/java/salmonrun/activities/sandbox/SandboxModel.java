package salmonrun.activities.sandbox;

import java.util.List;

/** What the sandbox eval needs from a language model: sampling, token counting, judge scores and
 * continuation log-probabilities. */
public interface SandboxModel {

    /** Continuations of each prompt (prompt not included), sampled at {@code temperature}, stopped at the end-of-turn marker. */
    List<String> generate(List<String> prompts, int maxNewTokens, double temperature, long seed);

    /** Tokens in a text under the model's tokenizer. */
    int countTokens(String text);

    /** The longest sequence (prompt + generation) the model takes. */
    int contextLength();

    /** For each format-3 judge prompt (ending at "Output ("), next-token logit of "a" minus logit of "b". */
    double[] judgeScores(List<String> judgePrompts);

    /** For each prompt, the summed log-probability of its continuation (the prompt must fit the context). */
    double[] continuationLogProbs(List<String> prompts, List<String> continuations);
}
