package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The lineage repository over plain JDBC: runs, phase executions, artifacts and their edges.
 *
 * <p>Every write is idempotent so that a retried Temporal activity never duplicates lineage:
 * runs are keyed by workflow id, executions by idempotency key, artifacts by (kind, sha256,
 * producer), edges by (artifact, input, role); all use INSERT ... ON CONFLICT, which stays
 * correct when two attempts race on different connections.
 */
public final class LineageRepository {
    private static final Set<String> RUN_STATUSES = Set.of("running", "completed", "failed", "cancelled");
    /** Walks stop here: lineage is acyclic by construction, this only bounds a hand-edited database. */
    private static final int MAX_DEPTH = 10_000;

    private final Database db;
    private final ArtifactStore store;

    public LineageRepository(Database db, ArtifactStore store) {
        this.db = Objects.requireNonNull(db, "db");
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The artifact store whose objects this repository registers. */
    public ArtifactStore store() {
        return store;
    }

    // ---------------------------------------------------------------- runs

    /** Creates the run for a workflow id, or returns the existing one's id (its spec is kept). */
    public long upsertRun(String workflowId, JsonNode spec, String startedBy) {
        requireText(workflowId, "workflowId");
        requireText(startedBy, "startedBy");
        String sql = "INSERT INTO run (workflow_id, spec, status, started_by) VALUES (?, ?::jsonb, 'running', ?) "
                + "ON CONFLICT (workflow_id) DO UPDATE SET workflow_id = EXCLUDED.workflow_id RETURNING id";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, workflowId);
            ps.setString(2, CanonicalJson.text(spec));
            ps.setString(3, startedBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "upsertRun(" + workflowId + ")", e);
        }
    }

    /** Sets a run's status (running|completed|failed|cancelled); a final status stamps finished_at. */
    public void setRunStatus(long runId, String status) {
        if (!RUN_STATUSES.contains(status)) {
            throw new IllegalArgumentException("run status must be one of " + RUN_STATUSES + ", got: " + status);
        }
        String sql = "UPDATE run SET status = ?, finished_at = CASE WHEN ? = 'running' THEN NULL "
                + "ELSE coalesce(finished_at, now()) END WHERE id = ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status);
            ps.setString(2, status);
            ps.setLong(3, runId);
            if (ps.executeUpdate() == 0) {
                throw new IllegalArgumentException("no run with id " + runId);
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "setRunStatus(" + runId + ")", e);
        }
    }

    /** The run with this id, if any. */
    public Optional<Run> run(long runId) {
        return findRun("id = ?", ps -> ps.setLong(1, runId));
    }

    /** The run of this workflow id, if any. */
    public Optional<Run> runByWorkflowId(String workflowId) {
        return findRun("workflow_id = ?", ps -> ps.setString(1, workflowId));
    }

    /** The run started most recently before this one (for principle-set diffs between runs). */
    public Optional<Run> previousRun(long runId) {
        return findRun("id = (SELECT max(id) FROM run WHERE id < ?)", ps -> ps.setLong(1, runId));
    }

    private Optional<Run> findRun(String where, Binder binder) {
        String sql = "SELECT id, workflow_id, spec::text, status, started_by, started_at, finished_at FROM run WHERE "
                + where;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Run(rs.getLong(1), rs.getString(2), CanonicalJson.parse(rs.getString(3)),
                        rs.getString(4), rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))));
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "run lookup", e);
        }
    }

    // ---------------------------------------------------------------- phase executions

    private static final List<String> EXECUTION_COLUMN_LIST = List.of("id", "run_id", "phase", "idempotency_key",
            "execution_key", "status", "attempt", "worker_identity", "outputs::text", "metrics::text",
            "principle_set_id", "exemplar_set_id", "config::text", "error", "started_at", "finished_at");
    private static final String EXECUTION_COLUMNS = String.join(", ", EXECUTION_COLUMN_LIST);

    /**
     * Records an execution attempt. Idempotent per idempotency key: a retry (even racing on another
     * connection) gets the same row back with attempt incremented; a completed row stays completed
     * so the retry can return its outputs instead of redoing the work.
     */
    public PhaseExecution startExecution(ExecutionStart start) {
        Objects.requireNonNull(start, "start");
        requireText(start.phase(), "phase");
        requireText(start.idempotencyKey(), "idempotencyKey");
        Hashes.requireSha256(start.executionKey(), "executionKey");
        String sql = "INSERT INTO phase_execution (run_id, phase, idempotency_key, execution_key, status, "
                + "worker_identity, principle_set_id, exemplar_set_id, config) "
                + "VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?::jsonb) "
                + "ON CONFLICT (idempotency_key) DO UPDATE SET attempt = phase_execution.attempt + 1, "
                + "worker_identity = coalesce(EXCLUDED.worker_identity, phase_execution.worker_identity), "
                + "status = CASE WHEN phase_execution.status = 'completed' THEN 'completed' ELSE 'running' END, "
                + "error = CASE WHEN phase_execution.status = 'completed' THEN phase_execution.error ELSE NULL END, "
                + "finished_at = CASE WHEN phase_execution.status = 'completed' THEN phase_execution.finished_at "
                + "ELSE NULL END "
                + "RETURNING " + EXECUTION_COLUMNS;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                setLong(ps, 1, start.runId());
                ps.setString(2, start.phase());
                ps.setString(3, start.idempotencyKey());
                ps.setString(4, start.executionKey());
                ps.setString(5, start.workerIdentity());
                setLong(ps, 6, start.principleSetId());
                setLong(ps, 7, start.exemplarSetId());
                ps.setString(8, CanonicalJson.text(start.config()));
                ExecutionDetail row;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    row = executionDetail(rs);
                }
                PhaseExecution e = row.execution();
                if (!e.phase().equals(start.phase()) || !e.executionKey().equals(start.executionKey())) {
                    c.rollback();
                    throw new IllegalStateException("idempotency key " + start.idempotencyKey()
                            + " already belongs to phase " + e.phase() + " with execution key " + e.executionKey()
                            + "; this attempt is phase " + start.phase() + " with key " + start.executionKey());
                }
                c.commit();
                return e;
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "startExecution(" + start.idempotencyKey() + ")", e);
        }
    }

    /** Marks an execution completed with its named output artifact ids (which must exist) and final metrics. */
    public void completeExecution(long executionId, Map<String, Long> outputs, JsonNode metrics) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (outputs != null) {
            outputs.forEach((name, id) -> out.put(name, Objects.requireNonNull(id, "output " + name)));
            for (Map.Entry<String, Long> e : outputs.entrySet()) {
                if (!artifactExists(e.getValue())) {
                    throw new IllegalArgumentException("execution " + executionId + " output '" + e.getKey()
                            + "' names artifact " + e.getValue() + ", which is not registered");
                }
            }
        }
        String sql = "UPDATE phase_execution SET status = 'completed', outputs = ?::jsonb, metrics = ?::jsonb, "
                + "error = NULL, finished_at = now() WHERE id = ?";
        update(sql, "completeExecution(" + executionId + ")", ps -> {
            ps.setString(1, CanonicalJson.text(out));
            ps.setString(2, CanonicalJson.text(metrics));
            ps.setLong(3, executionId);
        }, executionId);
    }

    /** Marks an execution failed with the error; a completed execution is left completed (a late duplicate failed). */
    public void failExecution(long executionId, String error) {
        String sql = "UPDATE phase_execution SET status = CASE WHEN status = 'completed' THEN status ELSE 'failed' END, "
                + "error = CASE WHEN status = 'completed' THEN error ELSE ? END, "
                + "finished_at = CASE WHEN status = 'completed' THEN finished_at ELSE now() END WHERE id = ?";
        update(sql, "failExecution(" + executionId + ")", ps -> {
            ps.setString(1, error == null ? "(no message)" : error);
            ps.setLong(2, executionId);
        }, executionId);
    }

    /** The newest completed execution with this execution key (memoization), if any. */
    public Optional<PhaseExecution> findCompleted(String executionKey) {
        Hashes.requireSha256(executionKey, "executionKey");
        List<ExecutionDetail> found = executions("execution_key = ? AND status = 'completed' "
                + "ORDER BY finished_at DESC, id DESC LIMIT 1", ps -> ps.setString(1, executionKey));
        return found.stream().findFirst().map(ExecutionDetail::execution);
    }

    /**
     * Whether every output artifact of a (memoized) execution is still registered and present in
     * this repository's store, so its outputs can be reused without redoing the work. Checks
     * presence only; {@link #registerArtifact} and {@link ArtifactStore#verify} check bytes.
     */
    public boolean outputsAvailable(PhaseExecution execution) {
        for (long id : execution.outputs().values()) {
            Optional<Artifact> a = artifacts("SELECT " + ARTIFACT_COLUMNS + " FROM artifact a WHERE a.id = ?",
                    ps -> ps.setLong(1, id)).stream().findFirst();
            if (a.isEmpty() || !store.contains(a.get().sha256())) {
                return false;
            }
        }
        return true;
    }

    private boolean artifactExists(long id) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM artifact WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "artifact lookup " + id, e);
        }
    }

    /**
     * Records that a run reused a completed (memoized) execution instead of running the phase again,
     * so the run's audit lists it and its outputs. Idempotent; the execution must be completed.
     */
    public void recordReuse(long runId, long executionId) {
        ExecutionDetail e = execution(executionId);
        if (!e.execution().completed()) {
            throw new IllegalArgumentException("execution " + executionId + " is " + e.execution().status()
                    + "; only a completed execution can be reused");
        }
        String sql = "INSERT INTO run_reuse (run_id, phase_execution_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setLong(2, executionId);
            ps.executeUpdate();
        } catch (SQLException ex) {
            if ("23503".equals(ex.getSQLState())) {
                throw new IllegalArgumentException("no run with id " + runId, ex);
            }
            throw LineageException.of(db, "recordReuse(" + runId + ", " + executionId + ")", ex);
        }
    }

    /** The executions of other runs this run reused (memoized), in the order it reused them. */
    public List<ExecutionDetail> reusedByRun(long runId) {
        String cols = String.join(", ", EXECUTION_COLUMN_LIST.stream().map(col -> "e." + col).toList());
        String sql = "SELECT " + cols + " FROM phase_execution e JOIN run_reuse r ON r.phase_execution_id = e.id "
                + "WHERE r.run_id = ? ORDER BY r.reused_at, e.id";
        List<ExecutionDetail> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(executionDetail(rs));
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "reusedByRun(" + runId + ")", e);
        }
        return out;
    }

    /** One execution with its audit columns; throws IllegalArgumentException if absent. */
    public ExecutionDetail execution(long executionId) {
        return executions("id = ?", ps -> ps.setLong(1, executionId)).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no phase execution with id " + executionId));
    }

    /** Every execution of a run, in start order. */
    public List<ExecutionDetail> executionsOfRun(long runId) {
        return executions("run_id = ? ORDER BY id", ps -> ps.setLong(1, runId));
    }

    /** Upserts one step's training figures; non-finite values are stored as the strings "NaN"/"Infinity". */
    public void recordTrainingMetrics(long executionId, int step, Map<String, Double> metrics) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        metrics.forEach((name, value) -> {
            if (value == null || !Double.isFinite(value)) {
                json.put(name, String.valueOf(value));
            } else {
                json.put(name, value);
            }
        });
        String sql = "INSERT INTO training_metric (phase_execution_id, step, metrics) VALUES (?, ?, ?::jsonb) "
                + "ON CONFLICT (phase_execution_id, step) DO UPDATE SET metrics = EXCLUDED.metrics, recorded_at = now()";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, executionId);
            ps.setInt(2, step);
            ps.setString(3, CanonicalJson.text(json));
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new IllegalArgumentException("no phase execution with id " + executionId, e);
            }
            throw LineageException.of(db, "recordTrainingMetrics(" + executionId + ", " + step + ")", e);
        }
    }

    /** The training figures of an execution, by step. */
    public List<TrainingMetric> trainingMetrics(long executionId) {
        String sql = "SELECT step, metrics::text FROM training_metric WHERE phase_execution_id = ? ORDER BY step";
        List<TrainingMetric> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, executionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TrainingMetric(executionId, rs.getInt(1), CanonicalJson.parse(rs.getString(2))));
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "trainingMetrics(" + executionId + ")", e);
        }
        return out;
    }

    private List<ExecutionDetail> executions(String whereAndOrder, Binder binder) {
        String sql = "SELECT " + EXECUTION_COLUMNS + " FROM phase_execution WHERE " + whereAndOrder;
        List<ExecutionDetail> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(executionDetail(rs));
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "execution lookup", e);
        }
        return out;
    }

    private static ExecutionDetail executionDetail(ResultSet rs) throws SQLException {
        Map<String, Long> outputs = new LinkedHashMap<>();
        JsonNode out = CanonicalJson.parse(rs.getString(9));
        for (Iterator<Map.Entry<String, JsonNode>> it = out.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            outputs.put(e.getKey(), e.getValue().asLong());
        }
        PhaseExecution e = new PhaseExecution(rs.getLong(1), getLong(rs, 2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8), Map.copyOf(outputs),
                CanonicalJson.parse(rs.getString(10)));
        return new ExecutionDetail(e, getLong(rs, 11), getLong(rs, 12), CanonicalJson.parse(rs.getString(13)),
                rs.getString(14), instant(rs.getTimestamp(15)), instant(rs.getTimestamp(16)));
    }

    // ---------------------------------------------------------------- artifacts

    private static final String ARTIFACT_COLUMNS =
            "a.id, a.kind, a.sha256, a.uri, a.bytes, a.metadata::text, a.produced_by, a.run_id, a.created_at";

    /**
     * Registers an artifact after checking that the store's bytes still match its sha256.
     * Idempotent per (kind, sha256, producedBy), also when attempts race; input edges are added
     * idempotently and may not close a cycle.
     */
    public Artifact registerArtifact(NewArtifact a) {
        Objects.requireNonNull(a, "artifact");
        requireText(a.kind(), "kind");
        StoredObject object = Objects.requireNonNull(a.object(), "object");
        Hashes.requireSha256(object.sha256(), "object.sha256");
        StoredObject actual = store.describe(object.sha256()); // throws ArtifactCorruptException / missing
        if (actual.directory() != object.directory() || actual.bytes() != object.bytes()) {
            throw new ArtifactCorruptException(store.resolve(object.sha256()), object.sha256(),
                    "stored object has " + actual.bytes() + " bytes (directory=" + actual.directory()
                            + ") but registration claims " + object.bytes() + " (directory=" + object.directory() + ")");
        }
        String insert = "INSERT INTO artifact (kind, sha256, uri, bytes, metadata, produced_by, run_id) "
                + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (kind, sha256, produced_by) "
                + "DO UPDATE SET run_id = coalesce(artifact.run_id, EXCLUDED.run_id) "
                // xmax = 0 marks a row this statement inserted (PostgreSQL), as opposed to one it found
                + "RETURNING id, kind, sha256, uri, bytes, metadata::text, produced_by, run_id, created_at, "
                + "(xmax = 0) AS inserted";
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Artifact row;
                boolean inserted;
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    ps.setString(1, a.kind());
                    ps.setString(2, object.sha256());
                    ps.setString(3, object.uri());
                    ps.setLong(4, object.bytes());
                    ps.setString(5, CanonicalJson.text(a.metadata()));
                    setLong(ps, 6, a.producedBy());
                    setLong(ps, 7, a.runId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        row = artifact(rs);
                        inserted = rs.getBoolean(10);
                    }
                }
                addEdges(c, row.id(), inserted, a.inputs() == null ? List.of() : a.inputs());
                c.commit();
                return row;
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            }
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new IllegalArgumentException("artifact " + a.kind() + " " + object.sha256()
                        + " refers to a missing row: " + e.getMessage(), e);
            }
            throw LineageException.of(db, "registerArtifact(" + a.kind() + ", " + object.sha256() + ")", e);
        }
    }

    /** Adds input edges idempotently, refusing unknown inputs and edges that would close a cycle. */
    private void addEdges(Connection c, long artifactId, boolean inserted, List<ArtifactEdge> edges)
            throws SQLException {
        if (edges.isEmpty()) {
            return;
        }
        List<Long> inputs = new ArrayList<>();
        for (ArtifactEdge e : edges) {
            if (e.inputArtifactId() == artifactId) {
                throw new IllegalArgumentException("artifact " + artifactId + " cannot be its own input");
            }
            inputs.add(e.inputArtifactId());
        }
        Object[] ids = inputs.toArray();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.id FROM unnest(?::bigint[]) AS t(id) "
                + "WHERE NOT EXISTS (SELECT 1 FROM artifact a WHERE a.id = t.id) LIMIT 1")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new NoSuchArtifactException(rs.getLong(1));
                }
            }
        }
        // A row this call created has no consumers yet, so it cannot be anyone's ancestor. A row that
        // already existed (a retry, or new inputs for old bytes) closes a cycle if it is an ancestor of
        // one of the new inputs.
        if (!inserted) {
            String cycle = "WITH RECURSIVE up(seed, id, depth) AS (SELECT t.id, t.id, 0 FROM unnest(?::bigint[]) "
                    + "AS t(id) UNION SELECT up.seed, i.input_artifact_id, up.depth + 1 FROM artifact_input i "
                    + "JOIN up ON i.artifact_id = up.id WHERE up.depth < " + MAX_DEPTH + ") "
                    + "SELECT seed FROM up WHERE id = ? LIMIT 1";
            try (PreparedStatement ps = c.prepareStatement(cycle)) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                ps.setLong(2, artifactId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new IllegalArgumentException("edge " + artifactId + " <- " + rs.getLong(1)
                                + " would make a lineage cycle (" + artifactId + " is already an ancestor of "
                                + rs.getLong(1) + ")");
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifact_input (artifact_id, input_artifact_id, "
                + "role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (ArtifactEdge e : edges) {
                ps.setLong(1, artifactId);
                ps.setLong(2, e.inputArtifactId());
                ps.setString(3, e.role() == null || e.role().isBlank() ? "input" : e.role());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The artifact with this id; throws NoSuchArtifactException naming the id. */
    public Artifact artifact(long id) {
        return artifacts("SELECT " + ARTIFACT_COLUMNS + " FROM artifact a WHERE a.id = ?", ps -> ps.setLong(1, id))
                .stream().findFirst().orElseThrow(() -> new NoSuchArtifactException(id));
    }

    /** Artifacts whose sha256 starts with the given hex prefix (for CLI lookups by hash). */
    public List<Artifact> artifactsByHashPrefix(String prefix) {
        if (prefix == null || !prefix.matches("[0-9a-f]{4,64}")) {
            throw new IllegalArgumentException("a hash prefix must be 4 to 64 lower-case hex characters, got: " + prefix);
        }
        return artifacts("SELECT " + ARTIFACT_COLUMNS + " FROM artifact a WHERE a.sha256 LIKE ? ORDER BY a.id",
                ps -> ps.setString(1, prefix + "%"));
    }

    /** The newest artifact of a kind an execution produced (resume from the newest checkpoint). */
    public Optional<Artifact> newestArtifact(long executionId, String kind) {
        return artifacts("SELECT " + ARTIFACT_COLUMNS + " FROM artifact a WHERE a.produced_by = ? AND a.kind = ? "
                + "ORDER BY a.id DESC LIMIT 1", ps -> {
                    ps.setLong(1, executionId);
                    ps.setString(2, kind);
                }).stream().findFirst();
    }

    /** Everything the artifact was made from, transitively, nearest first (then by id). */
    public List<Artifact> ancestors(long artifactId) {
        artifact(artifactId);
        return walk("artifact_id", "input_artifact_id", artifactId);
    }

    /** Everything made from the artifact, transitively, nearest first (then by id). */
    public List<Artifact> descendants(long artifactId) {
        artifact(artifactId);
        return walk("input_artifact_id", "artifact_id", artifactId);
    }

    private List<Artifact> walk(String from, String to, long artifactId) {
        // UNION (not UNION ALL) over (id, depth) keeps the walk polynomial on DAGs with shared inputs.
        String sql = "WITH RECURSIVE walk(id, depth) AS ("
                + "SELECT " + to + ", 1 FROM artifact_input WHERE " + from + " = ? "
                + "UNION SELECT e." + to + ", walk.depth + 1 FROM artifact_input e JOIN walk ON e." + from
                + " = walk.id WHERE walk.depth < " + MAX_DEPTH + ") "
                + "SELECT " + ARTIFACT_COLUMNS + " FROM artifact a JOIN (SELECT id, min(depth) AS depth FROM walk "
                + "GROUP BY id) w ON w.id = a.id WHERE a.id <> ? ORDER BY w.depth, a.id";
        return artifacts(sql, ps -> {
            ps.setLong(1, artifactId);
            ps.setLong(2, artifactId);
        });
    }

    /** The direct input edges of an artifact. */
    public List<LineageEdge> inputsOf(long artifactId) {
        return edges("artifact_id = ?", artifactId);
    }

    /** The direct edges that use an artifact as input. */
    public List<LineageEdge> consumersOf(long artifactId) {
        return edges("input_artifact_id = ?", artifactId);
    }

    /** Every edge whose artifact (the made thing) is one of the ids: the upward edges of a lineage closure. */
    public List<LineageEdge> edgesFrom(java.util.Collection<Long> artifactIds) {
        return edges("artifact_id = ANY(?)", artifactIds);
    }

    /** Every edge whose input is one of the ids: the downward edges of a lineage closure. */
    public List<LineageEdge> edgesInto(java.util.Collection<Long> artifactIds) {
        return edges("input_artifact_id = ANY(?)", artifactIds);
    }

    private List<LineageEdge> edges(String where, java.util.Collection<Long> ids) {
        String sql = "SELECT artifact_id, input_artifact_id, role FROM artifact_input WHERE " + where
                + " ORDER BY artifact_id, input_artifact_id, role";
        List<LineageEdge> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LineageEdge(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "edge lookup", e);
        }
        return out;
    }

    private List<LineageEdge> edges(String where, long id) {
        String sql = "SELECT artifact_id, input_artifact_id, role FROM artifact_input WHERE " + where
                + " ORDER BY artifact_id, input_artifact_id, role";
        List<LineageEdge> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LineageEdge(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "edge lookup", e);
        }
        return out;
    }

    /** Every artifact a run produced (registered with the run, or by one of its executions), by id. */
    public List<Artifact> artifactsOfRun(long runId) {
        return artifacts("SELECT " + ARTIFACT_COLUMNS + " FROM artifact a WHERE a.run_id = ? OR a.produced_by IN "
                + "(SELECT id FROM phase_execution WHERE run_id = ?) ORDER BY a.id", ps -> {
                    ps.setLong(1, runId);
                    ps.setLong(2, runId);
                });
    }

    private List<Artifact> artifacts(String sql, Binder binder) {
        List<Artifact> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(artifact(rs));
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "artifact lookup", e);
        }
        return out;
    }

    private static Artifact artifact(ResultSet rs) throws SQLException {
        return new Artifact(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                CanonicalJson.parse(rs.getString(6)), getLong(rs, 7), getLong(rs, 8), instant(rs.getTimestamp(9)));
    }

    // ---------------------------------------------------------------- JDBC helpers

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, String operation, Binder binder, long executionId) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            if (ps.executeUpdate() == 0) {
                throw new IllegalArgumentException("no phase execution with id " + executionId);
            }
        } catch (SQLException e) {
            throw LineageException.of(db, operation, e);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static Long getLong(ResultSet rs, int index) throws SQLException {
        long v = rs.getLong(index);
        return rs.wasNull() ? null : v;
    }

    static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
