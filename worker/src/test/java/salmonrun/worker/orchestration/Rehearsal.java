package salmonrun.worker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.NewArtifact;
import salmonrun.activities.lineage.TestDatabases;

/**
 * A rehearsal world for orchestration tests: a fresh lineage database, an artifact store in a temp directory,
 * two principle sets (with self-align, labelling and RL principles), an exemplar set and a tiny base model.
 */
final class Rehearsal implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Database db;
    final Path storeDir;
    final ArtifactStore store;
    final ActivityServices services;
    final long principleSet;
    final long principleSetV2;
    final long exemplarSet;
    final long baseModel;

    private Rehearsal(Database db, Path storeDir) throws IOException, SQLException {
        this.db = db;
        this.storeDir = storeDir;
        this.store = new ArtifactStore(storeDir);
        this.services = ActivityServices.of(db, store);
        this.principleSet = principleSet("rehearsal", "a".repeat(64), null);
        this.principleSetV2 = principleSet("rehearsal", "b".repeat(64), principleSet);
        this.exemplarSet = exemplarSet();
        Path base = Files.createTempDirectory("salmon-base-");
        new TinyTrainer(16, 7).save(base);
        this.baseModel = services.lineage().registerArtifact(new NewArtifact("checkpoint", store.putDirectory(base),
                JSON.createObjectNode().put("note", "tiny base model"), null, null, List.of())).id();
        RehearsalActivities.deleteTree(base);
    }

    static Rehearsal create() throws IOException, SQLException {
        return new Rehearsal(TestDatabases.createFresh(), Files.createTempDirectory("salmon-store-"));
    }

    /** A RunSpec for all phases on this world; small shapes. */
    ObjectNode spec(String name) {
        ObjectNode s = JSON.createObjectNode();
        s.put("name", name);
        s.put("preset", "ci");
        s.put("baseModel", baseModel);
        s.put("principleSet", principleSet);
        s.put("exemplarSet", exemplarSet);
        s.put("seed", 3);
        s.put("heartbeatTimeoutSeconds", 5);
        s.putObject("shards").put("generation", 3).put("judging", 2);
        s.putObject("ppoLoop").put("iterations", 3).put("iterationsPerRun", 2);
        s.putObject("selfAlign").put("prompts", 12).put("steps", 30).put("checkpointEvery", 10);
        s.putObject("rewardModel").put("steps", 20).put("checkpointEvery", 10);
        s.putObject("ppo").put("stepsPerIteration", 10).put("checkpointEvery", 5);
        return s;
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long principleSet(String name, String hash, Long parent) throws SQLException {
        try (Connection c = db.connection()) {
            long id;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO principle_set (name, content_hash, parent_id, "
                    + "document, created_by, note) VALUES (?, ?, ?, '{}'::jsonb, 'test', 'rehearsal') RETURNING id")) {
                s.setString(1, name);
                s.setString(2, hash);
                s.setObject(3, parent);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            String[][] principles = {{"self_align", "honest"}, {"labelling", "concise"}, {"rl", "polite"}};
            for (int i = 0; i < principles.length; i++) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO principle (principle_set_id, position, role, "
                        + "name, definition, weight) VALUES (?, ?, ?, ?, ?, 1.0)")) {
                    s.setLong(1, id);
                    s.setInt(2, i);
                    s.setString(3, principles[i][0]);
                    s.setString(4, principles[i][1] + (parent == null ? "" : "-v2"));
                    s.setString(5, "The assistant is " + principles[i][1] + ".");
                    s.executeUpdate();
                }
            }
            return id;
        }
    }

    private long exemplarSet() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("INSERT INTO exemplar_set "
                + "(name, content_hash, document, created_by) VALUES ('rehearsal', ?, '{}'::jsonb, 'test') RETURNING id")) {
            s.setString(1, "c".repeat(64));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static JsonNode tree(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Override
    public void close() throws IOException {
        TestDatabases.drop(db);
        RehearsalActivities.deleteTree(storeDir);
    }
}
