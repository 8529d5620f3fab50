package salmonrun.activities.lineage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Gathers a {@link RunAuditReport} for one run from the lineage tables (read-only). */
public final class RunAuditor {
    private final Database db;
    private final LineageRepository lineage;
    private final AuditLog audit;

    public RunAuditor(Database db, LineageRepository lineage, AuditLog audit) {
        this.db = Objects.requireNonNull(db, "db");
        this.lineage = Objects.requireNonNull(lineage, "lineage");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** Finds a run by workflow id, or by numeric id when the text is all digits and no workflow has that id. */
    public Run findRun(String runRef) {
        if (runRef == null || runRef.isBlank()) {
            throw new IllegalArgumentException("a run must be named by its workflow id or numeric id");
        }
        Optional<Run> byWorkflow = lineage.runByWorkflowId(runRef);
        if (byWorkflow.isPresent()) {
            return byWorkflow.get();
        }
        if (runRef.matches("\\d{1,18}")) {
            Optional<Run> byId = lineage.run(Long.parseLong(runRef));
            if (byId.isPresent()) {
                return byId.get();
            }
        }
        throw new IllegalArgumentException("no run with workflow id or id '" + runRef + "'");
    }

    /** The full audit of a run. */
    public RunAuditReport audit(Run run) {
        List<ExecutionDetail> executions = lineage.executionsOfRun(run.id());
        Map<Long, ExecutionDetail> producers = new HashMap<>();
        executions.forEach(e -> producers.put(e.execution().id(), e));

        List<Artifact> own = lineage.artifactsOfRun(run.id());
        Set<Long> ownIds = new LinkedHashSet<>();
        own.forEach(a -> ownIds.add(a.id()));
        Map<Long, List<LineageEdge>> inputs = new HashMap<>();
        for (LineageEdge e : lineage.edgesFrom(ownIds)) {
            inputs.computeIfAbsent(e.artifactId(), k -> new ArrayList<>()).add(e);
        }
        // Inputs made elsewhere (memoized phases, an earlier run's base model) are shown too, marked as used.
        Map<Long, Artifact> all = new LinkedHashMap<>();
        own.forEach(a -> all.put(a.id(), a));
        Set<Long> external = new java.util.TreeSet<>();
        inputs.values().forEach(list -> list.forEach(e -> {
            if (!ownIds.contains(e.inputArtifactId())) {
                external.add(e.inputArtifactId());
            }
        }));
        // Outputs of memoized executions point at artifacts of earlier runs.
        List<ExecutionDetail> reused = lineage.reusedByRun(run.id());
        reused.forEach(e -> producers.put(e.execution().id(), e));
        List<ExecutionDetail> withReused = new ArrayList<>(executions);
        withReused.addAll(reused);
        for (ExecutionDetail e : withReused) {
            e.execution().outputs().values().forEach(id -> {
                if (!ownIds.contains(id)) {
                    external.add(id);
                }
            });
        }
        List<AuditedArtifact> artifacts = new ArrayList<>();
        Map<Long, String> workflows = new HashMap<>();
        workflows.put(run.id(), run.workflowId());
        for (Artifact a : own) {
            artifacts.add(audited(a, true, producers, workflows, inputs.getOrDefault(a.id(), List.of())));
        }
        for (long id : external) {
            try {
                Artifact a = lineage.artifact(id);
                artifacts.add(audited(a, false, producers, workflows, lineage.inputsOf(id)));
            } catch (NoSuchArtifactException missing) {
                // an output id recorded in an execution that no longer resolves: leave it to the text of the outputs
            }
        }

        Map<Long, List<TrainingMetric>> metrics = new TreeMap<>();
        for (ExecutionDetail e : executions) {
            List<TrainingMetric> m = lineage.trainingMetrics(e.execution().id());
            if (!m.isEmpty()) {
                metrics.put(e.execution().id(), m);
            }
        }

        // Sets behind reused outputs count as used by this run: they shaped what it consumed.
        List<PrincipleSetRef> principleSets = principleSets(withReused);
        RunComparison previous = lineage.previousRun(run.id()).map(p -> {
            List<ExecutionDetail> prevExecutions = new ArrayList<>(lineage.executionsOfRun(p.id()));
            prevExecutions.addAll(lineage.reusedByRun(p.id()));
            List<PrincipleSetRef> prevSets = principleSets(prevExecutions);
            boolean changed = !hashes(prevSets).equals(hashes(principleSets));
            return new RunComparison(p, prevSets, changed);
        }).orElse(null);

        return new RunAuditReport(run, executions, reused, principleSets, exemplarSets(withReused), previous,
                artifacts, metrics, audit.events(run.id()), audit.verify());
    }

    private AuditedArtifact audited(Artifact a, boolean own, Map<Long, ExecutionDetail> producers,
            Map<Long, String> workflows, List<LineageEdge> inputs) {
        ExecutionDetail producer = null;
        if (a.producedBy() != null) {
            producer = producers.get(a.producedBy());
            if (producer == null) {
                producer = lineage.execution(a.producedBy());
                producers.put(a.producedBy(), producer);
            }
        }
        String workflow = null;
        if (producer != null && producer.execution().runId() != null) {
            workflow = workflows.computeIfAbsent(producer.execution().runId(),
                    id -> lineage.run(id).map(Run::workflowId).orElse(null));
        }
        return new AuditedArtifact(a, producer == null ? null : producer.execution().phase(),
                producer == null ? null : producer.execution().workerIdentity(), workflow, own, List.copyOf(inputs));
    }

    private static Set<String> hashes(List<PrincipleSetRef> sets) {
        Set<String> out = new java.util.TreeSet<>();
        sets.forEach(s -> out.add(s.contentHash()));
        return out;
    }

    private List<PrincipleSetRef> principleSets(List<ExecutionDetail> executions) {
        Map<Long, List<Long>> users = usage(executions, true);
        List<PrincipleSetRef> out = new ArrayList<>();
        if (users.isEmpty()) {
            return out;
        }
        String sql = "SELECT id, name, content_hash, parent_id, created_by, note, created_at FROM principle_set "
                + "WHERE id = ANY(?) ORDER BY id";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", users.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long parent = rs.getLong(4);
                    out.add(new PrincipleSetRef(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.wasNull() ? null : parent, rs.getString(5), rs.getString(6),
                            LineageRepository.instant(rs.getTimestamp(7)), users.get(rs.getLong(1))));
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "principle sets of a run", e);
        }
        return out;
    }

    private List<ExemplarSetRef> exemplarSets(List<ExecutionDetail> executions) {
        Map<Long, List<Long>> users = usage(executions, false);
        List<ExemplarSetRef> out = new ArrayList<>();
        if (users.isEmpty()) {
            return out;
        }
        String sql = "SELECT id, name, content_hash, created_by, created_at FROM exemplar_set WHERE id = ANY(?) ORDER BY id";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", users.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExemplarSetRef(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            LineageRepository.instant(rs.getTimestamp(5)), users.get(rs.getLong(1))));
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "exemplar sets of a run", e);
        }
        return out;
    }

    private static Map<Long, List<Long>> usage(List<ExecutionDetail> executions, boolean principles) {
        Map<Long, List<Long>> users = new TreeMap<>();
        for (ExecutionDetail e : executions) {
            Long set = principles ? e.principleSetId() : e.exemplarSetId();
            if (set != null) {
                users.computeIfAbsent(set, k -> new ArrayList<>()).add(e.execution().id());
            }
        }
        return users;
    }
}
