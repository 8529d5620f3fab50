package salmonrun.activities.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** Canonical JSON text (object keys sorted, no whitespace), so equal content hashes equally. */
public final class CanonicalJson {
    /** The shared mapper of the lineage package. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private CanonicalJson() {}

    /** The canonical text of a node; null becomes "null". */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(sorted(node == null ? JsonNodeFactory.instance.nullNode() : node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode always serializes", e);
        }
    }

    /** Parses JSON text (as read back from a JSONB column). */
    public static JsonNode parse(String text) {
        if (text == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Plain compact text of a node (for JSONB parameters); null becomes "{}". */
    public static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "{}" : write(node);
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            Collections.sort(names);
            for (String name : names) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(sorted(child)));
            return out;
        }
        return node;
    }
}
