package salmonrun.workflows.run;

import java.util.Map;
import salmonrun.workflows.common.PhaseOutputs;

/** A finished run: its workflow id, lineage run id, and each phase's outputs in pipeline order. */
public record RunResult(String workflowId, long runId, Map<String, PhaseOutputs> phases) {}
