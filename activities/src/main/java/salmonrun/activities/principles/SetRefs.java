package salmonrun.activities.principles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Resolves what an operator types to name a stored set: a numeric id, or a content-hash prefix. */
final class SetRefs {
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern HASH_PREFIX = Pattern.compile("[0-9a-f]{6,64}");

    private SetRefs() {}

    /** The id {@code ref} names in {@code table}; empty when nothing matches; an error when a prefix is ambiguous. */
    static Optional<Long> resolve(Connection c, String table, String ref) throws SQLException {
        String r = ref == null ? "" : ref.strip().toLowerCase(java.util.Locale.ROOT);
        if (ID.matcher(r).matches()) {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM " + table + " WHERE id = ?")) {
                s.setLong(1, Long.parseLong(r));
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        }
        if (!HASH_PREFIX.matcher(r).matches()) {
            throw new IllegalArgumentException("'" + ref + "' is neither an id nor a content-hash prefix"
                    + " (at least 6 hex digits)");
        }
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id FROM " + table + " WHERE content_hash LIKE ? ORDER BY id LIMIT 5")) {
            s.setString(1, r + "%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.size() > 1) {
            throw new IllegalArgumentException("hash prefix '" + ref + "' is ambiguous (ids " + ids
                    + "); give more digits or the id");
        }
        return ids.stream().findFirst();
    }
}
