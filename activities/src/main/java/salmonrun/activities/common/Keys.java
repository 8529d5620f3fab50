package salmonrun.activities.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.activities.lineage.ExecutionKeys;

/** Execution keys for memoization: phase, code version, config, input artifact hashes, principle/exemplar hashes. */
final class Keys {
    private Keys() {}

    static String of(ActivityServices services, String phase, JsonNode config, Map<String, Long> inputs,
                     Long principleSetId, Long exemplarSetId) {
        List<String> inputHashes = new ArrayList<>();
        for (Map.Entry<String, Long> e : new TreeMap<>(inputs).entrySet()) {
            inputHashes.add(e.getKey() + "=" + services.lineage().artifact(e.getValue()).sha256());
        }
        ObjectNode keyed = JsonNodeFactory.instance.objectNode();
        keyed.set("config", config);
        if (exemplarSetId != null) {
            keyed.put("exemplar_set", setHash(services, "exemplar_set", exemplarSetId));
        }
        String principles = principleSetId == null ? "" : setHash(services, "principle_set", principleSetId);
        return ExecutionKeys.of(phase, services.codeVersion(), keyed, inputHashes, principles);
    }

    /** The content hash of a principle or exemplar set; a missing set is bad input. */
    static String setHash(ActivityServices services, String table, long id) {
        try (Connection c = services.db().connection();
             PreparedStatement s = c.prepareStatement("SELECT content_hash FROM " + table + " WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new BadInputException(table.replace('_', ' ') + " " + id + " does not exist");
                }
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read " + table + " " + id + ": " + e.getMessage(), e);
        }
    }
}
