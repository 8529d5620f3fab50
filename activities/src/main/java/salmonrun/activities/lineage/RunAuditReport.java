package salmonrun.activities.lineage;

import java.util.List;
import java.util.Map;

/**
 * Everything an audit of one run shows: the run and its spec, its phase executions, the completed
 * executions of earlier runs it reused (memoized) instead of running again, the principle
 * and exemplar set versions they used (and the previous run's, for comparison), every artifact with
 * producer and inputs, per-step training metrics by execution id, the run's audit events and the
 * result of the whole audit chain check.
 */
public record RunAuditReport(Run run, List<ExecutionDetail> executions, List<ExecutionDetail> reusedExecutions,
        List<PrincipleSetRef> principleSets,
        List<ExemplarSetRef> exemplarSets, RunComparison previous, List<AuditedArtifact> artifacts,
        Map<Long, List<TrainingMetric>> trainingMetrics, List<AuditEvent> events, ChainCheck chain) {}
