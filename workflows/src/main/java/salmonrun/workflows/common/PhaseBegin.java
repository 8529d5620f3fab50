package salmonrun.workflows.common;

import java.util.Map;

/** The phase execution row that was opened, or the completed one whose outputs are reused (memoized). */
public record PhaseBegin(long executionId, boolean memoized, Map<String, Long> outputs, Map<String, Double> metrics) {

    public PhaseBegin {
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
