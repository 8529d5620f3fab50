package salmonrun.workflows.common;

import java.util.Map;

/** What an activity produced: output artifact ids by role, its figures, and whether lineage memoized it. */
public record StepResult(Map<String, Long> outputs, Map<String, Double> metrics, boolean memoized) {

    public StepResult {
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** The output artifact for a role; fails loudly when the activity did not produce it. */
    public long output(String role) {
        Long id = outputs.get(role);
        if (id == null) {
            throw new IllegalStateException("step produced no '" + role + "' artifact, only " + outputs.keySet());
        }
        return id;
    }
}
