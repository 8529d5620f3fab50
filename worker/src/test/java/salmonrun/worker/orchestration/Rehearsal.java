package salmonrun.worker.orchestration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.TestDatabases;
import salmonrun.worker.rehearsal.RehearsalActivities;
import salmonrun.worker.rehearsal.RehearsalWorld;

/** A rehearsal world in a fresh test database and a temp store, dropped on close. */
final class Rehearsal implements AutoCloseable {
    final RehearsalWorld world;
    final Database db;
    final Path storeDir;
    final ArtifactStore store;
    final ActivityServices services;
    final long principleSet;
    final long principleSetV2;
    final long exemplarSet;
    final long baseModel;

    private Rehearsal(RehearsalWorld w) {
        this.world = w;
        this.db = w.db;
        this.storeDir = w.storeDir;
        this.store = w.store;
        this.services = w.services;
        this.principleSet = w.principleSet;
        this.principleSetV2 = w.principleSetV2;
        this.exemplarSet = w.exemplarSet;
        this.baseModel = w.baseModel;
    }

    static Rehearsal create() throws IOException, SQLException {
        return new Rehearsal(new RehearsalWorld(TestDatabases.createFresh(), Files.createTempDirectory("salmon-store-")));
    }

    ObjectNode spec(String name) {
        return world.spec(name);
    }

    long count(String sql) throws SQLException {
        return world.count(sql);
    }

    @Override
    public void close() throws IOException {
        TestDatabases.drop(db);
        RehearsalActivities.deleteTree(storeDir);
    }
}
