package salmonrun.workflows.common;

import java.util.Map;

/** A finished phase: its lineage execution, output artifact ids by role, figures, and whether it was reused. */
public record PhaseOutputs(String phase, long executionId, boolean memoized, Map<String, Long> artifacts,
                           Map<String, Double> metrics) {

    public PhaseOutputs {
        artifacts = artifacts == null ? Map.of() : Map.copyOf(artifacts);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** The output artifact for a role; fails loudly when the phase did not produce it. */
    public long artifact(String role) {
        Long id = artifacts.get(role);
        if (id == null) {
            throw new IllegalStateException(phase + " produced no '" + role + "' artifact, only " + artifacts.keySet());
        }
        return id;
    }
}
