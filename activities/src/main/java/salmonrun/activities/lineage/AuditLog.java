package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Append-only, hash-chained audit log. Each row stores the previous row's hash and
 * hash = sha256(prev_hash + canonical row content), where the canonical content is the JSON
 * array [id, run_id, actor, action, reason, payload as PostgreSQL renders the JSONB, created_at].
 * Appends are serialized with a transaction-scoped advisory lock, so the chain never forks.
 */
public final class AuditLog {
    /** The hash a first row links to. */
    public static final String GENESIS = "0".repeat(64);
    /** pg_advisory_xact_lock key that serializes appends ("salmonAU" as a long). */
    private static final long APPEND_LOCK = 0x73616c6d6f6e4155L;

    private final Database db;

    public AuditLog(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Appends an event (runId may be null for events not tied to a run) and returns the stored row. */
    public AuditEvent append(Long runId, String actor, String action, String reason, JsonNode payload) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("audit actor must not be empty");
        }
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("audit action must not be empty");
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")");
                }
                String prev = GENESIS;
                long id;
                String payloadText;
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1")) {
                    if (rs.next()) {
                        prev = rs.getString(1);
                    }
                }
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT nextval(pg_get_serial_sequence('audit_event', 'id'))")) {
                    rs.next();
                    id = rs.getLong(1);
                }
                // Hash the payload as PostgreSQL will render it back, so verify() sees the same text.
                try (PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb::text")) {
                    ps.setString(1, CanonicalJson.text(payload));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        payloadText = rs.getString(1);
                    }
                }
                Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                String hash = hash(prev, id, runId, actor, action, reason, payloadText, createdAt);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (id, run_id, actor, action, "
                        + "reason, payload, created_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
                    ps.setLong(1, id);
                    if (runId == null) {
                        ps.setNull(2, Types.BIGINT);
                    } else {
                        ps.setLong(2, runId);
                    }
                    ps.setString(3, actor);
                    ps.setString(4, action);
                    ps.setString(5, reason);
                    ps.setString(6, payloadText);
                    ps.setObject(7, createdAt.atOffset(ZoneOffset.UTC));
                    ps.setString(8, prev);
                    ps.setString(9, hash);
                    ps.executeUpdate();
                }
                c.commit();
                return new AuditEvent(id, runId, actor, action, reason, CanonicalJson.parse(payloadText), createdAt,
                        prev, hash);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new IllegalArgumentException("audit event names run " + runId + ", which does not exist", e);
            }
            throw LineageException.of(db, "audit append (" + action + ")", e);
        }
    }

    /** Walks the whole chain in id order; returns ok, or the first row whose link or hash does not match. */
    public ChainCheck verify() {
        String sql = "SELECT id, run_id, actor, action, reason, payload::text, created_at, prev_hash, hash "
                + "FROM audit_event ORDER BY id";
        try (Connection c = db.connection()) {
            c.setAutoCommit(false); // lets the driver stream with a cursor instead of loading every row
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(500);
                String expectedPrev = GENESIS;
                long checked = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AuditEvent e = event(rs);
                        checked++;
                        if (!e.prevHash().equals(expectedPrev)) {
                            return ChainCheck.broken(checked, e.id(), "prev_hash " + e.prevHash()
                                    + " does not link to the previous row's hash " + expectedPrev
                                    + " (a row before it was removed or altered)", expectedPrev);
                        }
                        String recomputed = hash(e.prevHash(), e.id(), e.runId(), e.actor(), e.action(), e.reason(),
                                rs.getString(6), e.createdAt());
                        if (!recomputed.equals(e.hash())) {
                            return ChainCheck.broken(checked, e.id(), "stored hash " + e.hash()
                                    + " does not match the row's content (recomputed " + recomputed + ")", expectedPrev);
                        }
                        expectedPrev = e.hash();
                    }
                }
                return ChainCheck.good(checked, expectedPrev);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "audit chain verification", e);
        }
    }

    /** The event with this id, if any. */
    public java.util.Optional<AuditEvent> event(long id) {
        String sql = "SELECT id, run_id, actor, action, reason, payload::text, created_at, prev_hash, hash "
                + "FROM audit_event WHERE id = ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(event(rs)) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "audit event " + id, e);
        }
    }

    /** The events of a run in order, or every event when runId is null. */
    public List<AuditEvent> events(Long runId) {
        String sql = "SELECT id, run_id, actor, action, reason, payload::text, created_at, prev_hash, hash "
                + "FROM audit_event" + (runId == null ? "" : " WHERE run_id = ?") + " ORDER BY id";
        List<AuditEvent> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (runId != null) {
                ps.setLong(1, runId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(event(rs));
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(db, "audit events", e);
        }
        return out;
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        long runId = rs.getLong(2);
        Long run = rs.wasNull() ? null : runId;
        return new AuditEvent(rs.getLong(1), run, rs.getString(3), rs.getString(4), rs.getString(5),
                CanonicalJson.parse(rs.getString(6)), rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getString(8),
                rs.getString(9));
    }

    /** sha256(prev_hash + canonical row content). */
    static String hash(String prev, long id, Long runId, String actor, String action, String reason,
            String payloadText, Instant createdAt) {
        ArrayNode row = JsonNodeFactory.instance.arrayNode();
        row.add(id);
        if (runId == null) {
            row.addNull();
        } else {
            row.add(runId);
        }
        row.add(actor);
        row.add(action);
        if (reason == null) {
            row.addNull();
        } else {
            row.add(reason);
        }
        row.add(payloadText);
        row.add(createdAt.toString());
        return Hashes.sha256Hex(prev + CanonicalJson.write(row));
    }
}
