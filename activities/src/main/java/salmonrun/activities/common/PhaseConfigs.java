package salmonrun.activities.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Phase configs from a RunSpec: each section's fields override the phase's defaults (its Config record
 * serialised), then the result is read strictly, so an unknown or mistyped field is bad input naming its path.
 */
public final class PhaseConfigs {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private PhaseConfigs() {}

    /** {@code defaults} with the fields of {@code overrides} (may be null or missing) applied, read strictly. */
    public static <T> T read(JsonNode overrides, T defaults, Class<T> type, String where) {
        ObjectNode merged = STRICT.valueToTree(defaults);
        if (overrides != null && !overrides.isMissingNode() && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new BadInputException(where + " must be a JSON object");
            }
            merged.setAll((ObjectNode) overrides);
        }
        try {
            return STRICT.treeToValue(merged, type);
        } catch (UnrecognizedPropertyException e) {
            throw new BadInputException(where + ": unknown field '" + e.getPropertyName() + "' (known fields: "
                    + e.getKnownPropertyIds() + ")", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new BadInputException(where + ": " + root.getMessage(), e);
        }
    }

    /** The sub-object {@code name} of a phase config (empty when absent). */
    public static JsonNode section(JsonNode config, String name) {
        JsonNode n = config == null ? null : config.get(name);
        return n == null ? JsonNodeFactory.instance.objectNode() : n;
    }

    /** Rejects top-level sections other than {@code allowed} (naming the first unknown one). */
    public static void onlySections(JsonNode config, Set<String> allowed, String where) {
        if (config == null || config.isNull()) {
            return;
        }
        if (!config.isObject()) {
            throw new BadInputException(where + " must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!allowed.contains(name)) {
                throw new BadInputException(where + ": unknown section '" + name + "' (known: " + allowed + ")");
            }
        }
    }
}
