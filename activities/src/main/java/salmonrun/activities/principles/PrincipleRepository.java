package salmonrun.activities.principles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import salmonrun.activities.lineage.Database;

/**
 * Stores principle sets as immutable versions keyed by content hash (plain JDBC, one transaction
 * per import). Importing the same content again, even concurrently, returns the existing id.
 * A new version's parent is the newest stored set with the same name. There is no update.
 */
public final class PrincipleRepository {
    private static final String TABLE = "principle_set";
    private static final String SUMMARY_SQL = """
            SELECT s.id, s.name, s.content_hash, s.parent_id, s.created_by, s.note, s.created_at,
                   p.role, count(p.id) AS n
              FROM principle_set s LEFT JOIN principle p ON p.principle_set_id = s.id
            """;

    private final Database db;

    public PrincipleRepository(Database db) {
        this.db = db;
    }

    /**
     * Validates and stores {@code set} (its id is ignored; its hash, if given, must match the content).
     * Returns the stored version's id; {@code created} is false when that content was already stored.
     */
    public ImportResult importSet(PrincipleSet set, String createdBy, String note) {
        PrincipleRules.requireValid("principle set '" + set.name() + "'", set.name(), set.principles());
        String json = ContentHashes.principleSetJson(set.name(), set.principles());
        String hash = ContentHashes.sha256(json);
        if (set.contentHash() != null && !set.contentHash().equals(hash)) {
            throw new IllegalArgumentException("principle set '" + set.name() + "' claims hash " + set.contentHash()
                    + " but its content hashes to " + hash);
        }
        if (createdBy == null || createdBy.isBlank()) {
            throw new IllegalArgumentException("createdBy must name who imports the set");
        }
        return Jdbc.inTransaction(db, c -> {
            // Look first: a conflicting INSERT would still burn a sequence value and leave gaps in the ids.
            ImportResult existing = existing(c, hash);
            if (existing != null) {
                return existing;
            }
            Long parent = null;
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM principle_set WHERE name = ?"
                    + " ORDER BY created_at DESC, id DESC LIMIT 1")) {
                s.setString(1, set.name().strip());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        parent = rs.getLong(1);
                    }
                }
            }
            Long id = null;
            // ON CONFLICT: a concurrent import of the same content waits for the other's commit, then yields.
            try (PreparedStatement s = c.prepareStatement("INSERT INTO principle_set"
                    + " (name, content_hash, parent_id, document, created_by, note)"
                    + " VALUES (?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (content_hash) DO NOTHING RETURNING id")) {
                s.setString(1, set.name().strip());
                s.setString(2, hash);
                if (parent == null) {
                    s.setNull(3, Types.BIGINT);
                } else {
                    s.setLong(3, parent);
                }
                s.setString(4, json);
                s.setString(5, createdBy);
                s.setString(6, note);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                    }
                }
            }
            if (id == null) {
                existing = existing(c, hash);
                if (existing == null) {
                    throw new IllegalStateException("principle set " + hash + " vanished during import");
                }
                return existing;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO principle"
                    + " (principle_set_id, position, role, name, definition, negative_definition, weight)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (Principle p : set.principles()) {
                    s.setLong(1, id);
                    s.setInt(2, position++);
                    s.setString(3, p.role().dbName());
                    s.setString(4, p.name().strip());
                    s.setString(5, p.definition().strip());
                    s.setString(6, p.negativeDefinition() == null ? null : p.negativeDefinition().strip());
                    s.setDouble(7, p.weight());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return new ImportResult(id, hash, true, parent);
        });
    }

    private static ImportResult existing(Connection c, String hash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, parent_id FROM principle_set WHERE content_hash = ?")) {
            s.setString(1, hash);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new ImportResult(rs.getLong(1), hash, false, rs.getObject(2, Long.class)) : null;
            }
        }
    }

    /** The stored set with this id; fails if its rows no longer match its content hash. */
    public Optional<PrincipleSet> find(long id) {
        return Jdbc.withConnection(db, c -> load(c, "id = ?", s -> s.setLong(1, id)));
    }

    /** The stored set with this content hash. */
    public Optional<PrincipleSet> findByHash(String contentHash) {
        return Jdbc.withConnection(db, c -> load(c, "content_hash = ?", s -> s.setString(1, contentHash)));
    }

    /** The id named by a numeric id or a content-hash prefix (at least 6 hex digits); empty if none. */
    public Optional<Long> resolve(String ref) {
        return Jdbc.withConnection(db, c -> SetRefs.resolve(c, TABLE, ref));
    }

    /** Metadata of one stored set. */
    public Optional<PrincipleSetSummary> summary(long id) {
        return Jdbc.withConnection(db, c -> summaries(c, " WHERE s.id = ?", id).stream().findFirst());
    }

    /** Metadata of every stored set, oldest first. */
    public List<PrincipleSetSummary> list() {
        return Jdbc.withConnection(db, c -> summaries(c, "", null));
    }

    private static Optional<PrincipleSet> load(Connection c, String where, Jdbc.Binder bind) throws SQLException {
        long id;
        String name;
        String hash;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, name, content_hash FROM principle_set WHERE " + where)) {
            bind.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                id = rs.getLong(1);
                name = rs.getString(2);
                hash = rs.getString(3);
            }
        }
        List<Principle> principles = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name, definition, negative_definition, weight, role"
                + " FROM principle WHERE principle_set_id = ? ORDER BY position")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    principles.add(new Principle(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getDouble(4), Role.fromDbName(rs.getString(5))));
                }
            }
        }
        String actual = ContentHashes.principleSetHash(name, principles);
        if (!actual.equals(hash)) {
            throw new IllegalStateException("principle set " + id + " (" + name + ") was altered in the database:"
                    + " stored hash " + hash + ", its rows hash to " + actual);
        }
        return Optional.of(new PrincipleSet(id, name, hash, principles));
    }

    private static List<PrincipleSetSummary> summaries(Connection c, String where, Long id) throws SQLException {
        String sql = SUMMARY_SQL + where + " GROUP BY s.id, p.role ORDER BY s.id";
        // One row per (set, role): gather the role counts, then build each summary once.
        Map<Long, PrincipleSetSummary> sets = new LinkedHashMap<>();
        Map<Long, Map<Role, Integer>> counts = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (id != null) {
                s.setLong(1, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long sid = rs.getLong("id");
                    String role = rs.getString("role");
                    Map<Role, Integer> m = counts.computeIfAbsent(sid, k -> new EnumMap<>(Role.class));
                    if (role != null) {
                        m.put(Role.fromDbName(role), rs.getInt("n"));
                    }
                    sets.putIfAbsent(sid, new PrincipleSetSummary(sid, rs.getString("name"),
                            rs.getString("content_hash"), rs.getObject("parent_id", Long.class),
                            rs.getString("created_by"), rs.getString("note"),
                            rs.getTimestamp("created_at").toInstant(), Map.of()));
                }
            }
        }
        return sets.values().stream().map(x -> new PrincipleSetSummary(x.id(), x.name(), x.contentHash(),
                x.parentId(), x.createdBy(), x.note(), x.createdAt(), counts.get(x.id()))).toList();
    }
}
