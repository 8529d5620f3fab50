package salmonrun.activities.lineage;

import java.util.List;

/**
 * An artifact in a run audit: the row, who produced it (phase, worker, run), whether this run made
 * it or only used it (a memoized or earlier output), and its direct input edges.
 */
public record AuditedArtifact(Artifact artifact, String producerPhase, String workerIdentity,
        String producerWorkflowId, boolean fromThisRun, List<LineageEdge> inputs) {}
