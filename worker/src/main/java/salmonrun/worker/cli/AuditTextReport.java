package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.AuditEvent;
import salmonrun.activities.lineage.AuditedArtifact;
import salmonrun.activities.lineage.ChainCheck;
import salmonrun.activities.lineage.ExecutionDetail;
import salmonrun.activities.lineage.ExemplarSetRef;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.activities.lineage.PrincipleSetRef;
import salmonrun.activities.lineage.Run;
import salmonrun.activities.lineage.RunAuditReport;
import salmonrun.activities.lineage.RunComparison;

/** The plain-text form of a run audit. */
final class AuditTextReport {
    private AuditTextReport() {}

    static void print(PrintWriter out, RunAuditReport r, List<PrincipleChanges.SetDiff> diffs) {
        Run run = r.run();
        out.printf("run %s (id %d): %s, started by %s at %s%s%n", run.workflowId(), run.id(), run.status(),
                run.startedBy(), run.startedAt(), run.finishedAt() == null ? "" : ", finished " + run.finishedAt());
        out.println("spec: " + run.spec());
        out.println();

        out.println("principle sets used:");
        if (r.principleSets().isEmpty()) {
            out.println("  (none recorded on this run's executions)");
        }
        for (PrincipleSetRef p : r.principleSets()) {
            out.printf("  #%d %s  hash %s  by %s at %s%s  used by executions %s%n", p.id(), p.name(), p.contentHash(),
                    p.createdBy(), p.createdAt(), p.parentId() == null ? "" : "  (from #" + p.parentId() + ")",
                    p.usedByExecutions());
        }
        RunComparison prev = r.previous();
        if (prev == null) {
            out.println("  previous run: none");
        } else {
            out.printf("  previous run %s (id %d) used %s: %s%n", prev.previousRun().workflowId(), prev.previousRun().id(),
                    prev.previousPrincipleSets().isEmpty() ? "no principle set"
                            : prev.previousPrincipleSets().stream().map(p -> "#" + p.id() + " " + p.name())
                                    .collect(Collectors.joining(", ")),
                    prev.principleSetsChanged() ? "CHANGED since then" : "unchanged");
        }
        for (PrincipleChanges.SetDiff d : diffs) {
            out.printf("  principle changes #%d -> #%d (%s):%n", d.fromSetId(), d.toSetId(), d.context());
            d.text().lines().forEach(line -> out.println("    " + line));
        }
        out.println("exemplar sets used:");
        if (r.exemplarSets().isEmpty()) {
            out.println("  (none recorded)");
        }
        for (ExemplarSetRef e : r.exemplarSets()) {
            out.printf("  #%d %s  hash %s  by %s  used by executions %s%n", e.id(), e.name(), e.contentHash(),
                    e.createdBy(), e.usedByExecutions());
        }
        out.println();

        out.println("phase executions (" + r.executions().size() + "):");
        for (ExecutionDetail d : r.executions()) {
            PhaseExecution e = d.execution();
            out.printf("  #%d %-14s %-9s attempt %d  worker %s  %s%s%n", e.id(), e.phase(), e.status(), e.attempt(),
                    e.workerIdentity() == null ? "-" : e.workerIdentity(), duration(d),
                    d.principleSetId() == null ? "" : "  principle set #" + d.principleSetId());
            if (!e.outputs().isEmpty()) {
                out.println("      outputs: " + e.outputs());
            }
            if (e.metrics() != null && e.metrics().size() > 0) {
                out.println("      metrics: " + e.metrics());
            }
            if (r.trainingMetrics().containsKey(e.id())) {
                out.println("      training steps recorded: " + r.trainingMetrics().get(e.id()).size());
            }
            if (d.error() != null) {
                out.println("      error: " + d.error());
            }
        }
        if (!r.reusedExecutions().isEmpty()) {
            out.println("reused executions (memoized, made by earlier runs) (" + r.reusedExecutions().size() + "):");
            for (ExecutionDetail d : r.reusedExecutions()) {
                PhaseExecution e = d.execution();
                out.printf("  #%d %-14s of run id %s  worker %s  finished %s  outputs %s%n", e.id(), e.phase(),
                        e.runId() == null ? "-" : e.runId(), e.workerIdentity() == null ? "-" : e.workerIdentity(),
                        d.finishedAt(), e.outputs());
            }
        }
        out.println();

        out.println("artifacts (" + r.artifacts().size() + "):");
        for (AuditedArtifact aa : r.artifacts()) {
            Artifact a = aa.artifact();
            out.printf("  #%d %s  sha256 %s  %s%n", a.id(), a.kind(), a.sha256(), Sizes.human(a.bytes()));
            out.printf("      produced by %s%s%s%n",
                    a.producedBy() == null ? "(no phase execution)" : aa.producerPhase() + " execution #" + a.producedBy(),
                    aa.workerIdentity() == null ? "" : " on worker " + aa.workerIdentity(),
                    aa.fromThisRun() ? "" : "  [made by " + (aa.producerWorkflowId() == null ? "another run"
                            : "run " + aa.producerWorkflowId()) + ", used here]");
            if (!aa.inputs().isEmpty()) {
                out.println("      inputs: " + aa.inputs().stream()
                        .map(e -> "#" + e.inputArtifactId() + " [" + e.role() + "]").collect(Collectors.joining(", ")));
            }
        }
        out.println();

        for (EvaluationTables.Table t : EvaluationTables.of(r)) {
            out.println("evaluations side by side (" + t.kind() + "):");
            int labelWidth = Math.max(5, t.rows().stream().mapToInt(x -> x.label().length()).max().orElse(5));
            StringBuilder head = new StringBuilder(String.format("  %-" + labelWidth + "s", "model"));
            t.columns().forEach(c -> head.append("  ").append(c));
            out.println(head);
            for (EvaluationTables.Row row : t.rows()) {
                StringBuilder line = new StringBuilder(String.format("  %-" + labelWidth + "s", row.label()));
                t.columns().forEach(c -> {
                    Double v = row.figures().get(c);
                    String cell = v == null ? "-" : AuditHtml.num(v);
                    line.append("  ").append(String.format("%" + c.length() + "s", cell));
                });
                out.println(line);
            }
            out.println();
        }

        List<AuditEvent> events = r.events();
        out.println("audit events (" + events.size() + "):");
        for (AuditEvent e : events) {
            out.printf("  #%d %s  %s  %s%s%s%n", e.id(), e.createdAt(), e.actor(), e.action(),
                    e.reason() == null ? "" : "  why: " + e.reason(),
                    e.payload() == null || e.payload().isEmpty() ? "" : "  " + e.payload());
        }
        out.println();
        ChainCheck c = r.chain();
        out.println(c.ok() ? "audit chain: intact (" + c.eventsChecked() + " event(s) verified)"
                : "audit chain: BROKEN at event " + c.firstBadId() + ": " + c.problem());
    }

    static String duration(ExecutionDetail d) {
        if (d.startedAt() == null || d.finishedAt() == null) {
            return "(unfinished)";
        }
        Duration t = Duration.between(d.startedAt(), d.finishedAt());
        return String.format(java.util.Locale.ROOT, "%.1f s", t.toMillis() / 1000.0);
    }
}
