package salmonrun.activities.principles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import salmonrun.activities.lineage.Database;

/**
 * Stores exemplar sets as immutable versions keyed by content hash (plain JDBC, one transaction
 * per import). Importing the same content again, even concurrently, returns the existing id.
 */
public final class ExemplarRepository {
    private static final String TABLE = "exemplar_set";

    private final Database db;

    public ExemplarRepository(Database db) {
        this.db = db;
    }

    /** Validates and stores {@code set}; {@code created} is false when that content was already stored. */
    public ImportResult importSet(ExemplarSet set, String createdBy) {
        ExemplarRules.requireValid("exemplar set '" + set.name() + "'", set.name(), set.exemplars());
        String json = ContentHashes.exemplarSetJson(set.name(), set.exemplars());
        String hash = ContentHashes.sha256(json);
        if (set.contentHash() != null && !set.contentHash().equals(hash)) {
            throw new IllegalArgumentException("exemplar set '" + set.name() + "' claims hash " + set.contentHash()
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
            Long id = null;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO exemplar_set"
                    + " (name, content_hash, document, created_by) VALUES (?, ?, ?::jsonb, ?)"
                    + " ON CONFLICT (content_hash) DO NOTHING RETURNING id")) {
                s.setString(1, set.name().strip());
                s.setString(2, hash);
                s.setString(3, json);
                s.setString(4, createdBy);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                    }
                }
            }
            if (id == null) {
                existing = existing(c, hash);
                if (existing == null) {
                    throw new IllegalStateException("exemplar set " + hash + " vanished during import");
                }
                return existing;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO exemplar"
                    + " (exemplar_set_id, position, instruction, internal_thoughts, response) VALUES (?, ?, ?, ?, ?)")) {
                int position = 0;
                for (Exemplar e : set.exemplars()) {
                    s.setLong(1, id);
                    s.setInt(2, position++);
                    s.setString(3, e.instruction().strip());
                    s.setString(4, e.internalThoughts().strip());
                    s.setString(5, e.response().strip());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return new ImportResult(id, hash, true, null);
        });
    }

    private static ImportResult existing(Connection c, String hash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM exemplar_set WHERE content_hash = ?")) {
            s.setString(1, hash);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new ImportResult(rs.getLong(1), hash, false, null) : null;
            }
        }
    }

    /** The stored set with this id; fails if its rows no longer match its content hash. */
    public Optional<ExemplarSet> find(long id) {
        return Jdbc.withConnection(db, c -> load(c, "id = ?", s -> s.setLong(1, id)));
    }

    /** The stored set with this content hash. */
    public Optional<ExemplarSet> findByHash(String contentHash) {
        return Jdbc.withConnection(db, c -> load(c, "content_hash = ?", s -> s.setString(1, contentHash)));
    }

    /** The id named by a numeric id or a content-hash prefix (at least 6 hex digits); empty if none. */
    public Optional<Long> resolve(String ref) {
        return Jdbc.withConnection(db, c -> SetRefs.resolve(c, TABLE, ref));
    }

    /** Metadata of one stored set. */
    public Optional<ExemplarSetSummary> summary(long id) {
        return Jdbc.withConnection(db, c -> summaries(c, " WHERE s.id = ?", id).stream().findFirst());
    }

    /** Metadata of every stored set, oldest first. */
    public List<ExemplarSetSummary> list() {
        return Jdbc.withConnection(db, c -> summaries(c, "", null));
    }

    private static Optional<ExemplarSet> load(Connection c, String where, Jdbc.Binder bind) throws SQLException {
        long id;
        String name;
        String hash;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, name, content_hash FROM exemplar_set WHERE " + where)) {
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
        List<Exemplar> exemplars = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT instruction, internal_thoughts, response"
                + " FROM exemplar WHERE exemplar_set_id = ? ORDER BY position")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    exemplars.add(new Exemplar(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        String actual = ContentHashes.exemplarSetHash(name, exemplars);
        if (!actual.equals(hash)) {
            throw new IllegalStateException("exemplar set " + id + " (" + name + ") was altered in the database:"
                    + " stored hash " + hash + ", its rows hash to " + actual);
        }
        return Optional.of(new ExemplarSet(id, name, hash, exemplars));
    }

    private static List<ExemplarSetSummary> summaries(Connection c, String where, Long id) throws SQLException {
        String sql = "SELECT s.id, s.name, s.content_hash, s.created_by, s.created_at, count(e.id) AS n"
                + " FROM exemplar_set s LEFT JOIN exemplar e ON e.exemplar_set_id = s.id" + where
                + " GROUP BY s.id ORDER BY s.id";
        List<ExemplarSetSummary> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (id != null) {
                s.setLong(1, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExemplarSetSummary(rs.getLong("id"), rs.getString("name"),
                            rs.getString("content_hash"), rs.getString("created_by"),
                            rs.getTimestamp("created_at").toInstant(), rs.getInt("n")));
                }
            }
        }
        return out;
    }
}
