package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.ExecutionKeys;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.activities.lineage.TestDatabases;

/** A fresh PostgreSQL database and artifact store for a phase test class; close() drops both. */
public final class PhaseFixture implements AutoCloseable {
    public final Database db;
    public final Path storeRoot;
    public final ArtifactStore store;
    public final LineageRepository lineage;
    public final long runId;
    /** Every progress report any context of this fixture received. */
    public final List<Progress> reports = new ArrayList<>();

    public PhaseFixture() {
        try {
            storeRoot = Files.createTempDirectory("salmon-phase-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db = TestDatabases.createFresh();
        store = new ArtifactStore(storeRoot);
        lineage = new LineageRepository(db, store);
        runId = lineage.upsertRun("phase-test-" + UUID.randomUUID(), JsonNodeFactory.instance.objectNode(), "test");
    }

    /** A context for a new execution of the phase. */
    public PhaseContext context(String phase) {
        return context(phase, reports::add);
    }

    public PhaseContext context(String phase, ProgressListener listener) {
        PhaseExecution e = lineage.startExecution(new ExecutionStart(runId, phase, phase + "-" + UUID.randomUUID(),
                ExecutionKeys.of(phase, "test", null, List.of(), null), "test-worker", null, null,
                JsonNodeFactory.instance.objectNode()));
        return new PhaseContext(lineage, store, e.id(), runId, listener);
    }

    /** The same execution again, as a retried attempt would see it. */
    public PhaseContext retry(PhaseContext ctx, ProgressListener listener) {
        return new PhaseContext(lineage, store, ctx.executionId(), runId, listener);
    }

    /** Rows in the artifact table. */
    public long artifactCount() {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM artifact")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        TestDatabases.drop(db);
        try (var walk = Files.walk(storeRoot)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
