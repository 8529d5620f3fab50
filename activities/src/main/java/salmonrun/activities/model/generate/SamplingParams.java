package salmonrun.activities.model.generate;

import java.util.List;

/**
 * How to sample: temperature 0 means greedy; topK 0 and topP 1 disable those filters; generation of a row stops
 * at an end-of-sequence id, when its text contains a stop string, or after maxNewTokens.
 */
public record SamplingParams(int maxNewTokens, double temperature, double topP, int topK, List<String> stopStrings,
                             List<Integer> eosIds) {

    public SamplingParams {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0");
        }
        if (temperature < 0 || topP <= 0 || topP > 1 || topK < 0) {
            throw new IllegalArgumentException("need temperature >= 0, 0 < topP <= 1, topK >= 0");
        }
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        eosIds = eosIds == null ? List.of() : List.copyOf(eosIds);
    }

    /** Greedy decoding of up to {@code maxNewTokens}. */
    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(maxNewTokens, 0, 1, 0, List.of(), List.of());
    }

    /** Sampling at a temperature with nucleus filtering. */
    public static SamplingParams sample(int maxNewTokens, double temperature, double topP) {
        return new SamplingParams(maxNewTokens, temperature, topP, 0, List.of(), List.of());
    }

    public SamplingParams withStop(List<String> stops) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, stops, eosIds);
    }

    public SamplingParams withEos(List<Integer> eos) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, stopStrings, eos);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(maxNewTokens, temperature, topP, k, stopStrings, eosIds);
    }
}
