package salmonrun.activities.salmon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Applies JSON overrides to a config record's defaults: every field can be overridden, an unknown field or a
 * value of the wrong type is rejected with an {@link InvalidConfigException} naming the field.
 */
final class ConfigOverrides {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private ConfigOverrides() {}

    static <T> T apply(T defaults, JsonNode overrides, Class<T> type) {
        ObjectNode merged = MAPPER.valueToTree(defaults);
        if (overrides == null || overrides.isNull()) {
            return defaults;
        }
        if (!overrides.isObject()) {
            throw new InvalidConfigException(type.getSimpleName(), "overrides must be a JSON object, got " + overrides);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!merged.has(e.getKey())) {
                throw new InvalidConfigException(e.getKey(), "unknown field for " + type.getSimpleName()
                        + "; known fields: " + knownFields(merged));
            }
            merged.set(e.getKey(), e.getValue());
        }
        try {
            return MAPPER.treeToValue(merged, type);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new InvalidConfigException(field.isEmpty() ? type.getSimpleName() : field,
                    "bad value: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(type.getSimpleName(), e.getOriginalMessage());
        }
    }

    static <T> T apply(T defaults, Map<String, ?> overrides, Class<T> type) {
        return apply(defaults, (JsonNode) MAPPER.valueToTree(overrides), type);
    }

    private static String knownFields(ObjectNode node) {
        StringBuilder sb = new StringBuilder();
        node.fieldNames().forEachRemaining(n -> sb.append(sb.isEmpty() ? "" : ", ").append(n));
        return sb.toString();
    }

    static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new InvalidConfigException(field, problem);
        }
    }

    static void positive(int value, String field) {
        require(value > 0, field, "must be > 0, got " + value);
    }

    static void positive(double value, String field) {
        require(value > 0 && Double.isFinite(value), field, "must be > 0, got " + value);
    }

    static void nonNegative(double value, String field) {
        require(value >= 0 && Double.isFinite(value), field, "must be >= 0, got " + value);
    }

    static void inRange(double value, double lo, double hi, String field) {
        require(value >= lo && value <= hi, field, "must be in [" + lo + ", " + hi + "], got " + value);
    }

    static void finite(double value, String field) {
        require(Double.isFinite(value), field, "must be a finite number, got " + value);
    }
}
