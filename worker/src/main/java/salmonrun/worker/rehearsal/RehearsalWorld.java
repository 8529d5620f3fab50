package salmonrun.worker.rehearsal;

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

/**
 * The inputs a rehearsal run needs, created in a lineage database: two versions of a small principle set (with
 * self-align, labelling and RL principles), an exemplar set and a tiny base model checkpoint.
 */
public final class RehearsalWorld {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Database db;
    public final Path storeDir;
    public final ArtifactStore store;
    public final ActivityServices services;
    public final long principleSet;
    public final long principleSetV2;
    public final long exemplarSet;
    public final long baseModel;

    /** Creates the sets and base model in {@code db}, storing files under {@code storeDir}. */
    public RehearsalWorld(Database db, Path storeDir) throws IOException, SQLException {
        this.db = db;
        this.storeDir = storeDir;
        this.store = new ArtifactStore(storeDir);
        this.services = ActivityServices.of(db, store);
        String tag = Long.toHexString(System.nanoTime());
        this.principleSet = principleSet("rehearsal-" + tag, null);
        this.principleSetV2 = principleSet("rehearsal-" + tag, principleSet);
        this.exemplarSet = exemplarSet("rehearsal-" + tag);
        Path base = Files.createTempDirectory("salmon-base-");
        try {
            new TinyTrainer(16, 7).save(base);
            this.baseModel = services.lineage().registerArtifact(new NewArtifact("checkpoint", store.putDirectory(base),
                    JSON.createObjectNode().put("note", "rehearsal base model"), null, null, List.of())).id();
        } finally {
            RehearsalActivities.deleteTree(base);
        }
    }

    /** A RunSpec for all five phases on this world, in small shapes. */
    public ObjectNode spec(String name) {
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

    /** A single number from SQL (tests and benchmarks). */
    public long count(String sql) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long principleSet(String name, Long parent) throws SQLException {
        String hash = sha256(name + "/" + (parent == null ? "v1" : "v2"));
        try (Connection c = db.connection()) {
            long id;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO principle_set (name, content_hash, parent_id, "
                    + "document, created_by, note) VALUES (?, ?, ?, '{}'::jsonb, 'rehearsal', 'orchestration rehearsal') "
                    + "RETURNING id")) {
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

    private long exemplarSet(String name) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("INSERT INTO exemplar_set "
                + "(name, content_hash, document, created_by) VALUES (?, ?, '{}'::jsonb, 'rehearsal') RETURNING id")) {
            s.setString(1, name);
            s.setString(2, sha256(name + "/exemplars"));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String sha256(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
