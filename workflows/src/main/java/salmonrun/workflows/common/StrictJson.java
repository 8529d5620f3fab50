package salmonrun.workflows.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.temporal.failure.ApplicationFailure;
import java.util.stream.Collectors;

/**
 * Reads workflow inputs strictly. Workflow methods take a raw {@link JsonNode} (so any JSON payload, including a
 * Temporal CLI {@code json/plain} one, reaches workflow code) and convert it here: an unknown field, a wrong type
 * or a missing required value fails the workflow with a non-retryable {@code BadInput} failure naming the field,
 * instead of failing the workflow task and retrying it forever as the default converter would.
 */
public final class StrictJson {
    /** The failure type for bad input; retry policies list it as non-retryable. */
    public static final String BAD_INPUT = "BadInput";

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper PLAIN = JsonMapper.builder().build();

    private StrictJson() {}

    /** Converts {@code json} to {@code type} or throws a non-retryable BadInput failure naming the problem. */
    public static <T> T read(JsonNode json, Class<T> type, String what) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            throw badInput(what + ": input is missing (expected a JSON object)");
        }
        if (!json.isObject()) {
            throw badInput(what + ": input must be a JSON object, got " + json.getNodeType().name().toLowerCase());
        }
        try {
            return STRICT.treeToValue(json, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw badInput(what + ": unknown field '" + e.getPropertyName() + "' at " + path(e)
                    + (known.isEmpty() ? "" : " (known fields: " + known + ")"));
        } catch (JsonMappingException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String reason = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
            throw badInput(what + ": invalid value at " + path(e) + ": " + reason);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw badInput(what + ": " + e.getMessage());
        }
    }

    /**
     * Builds the (de)serializers for {@code types} now, outside any workflow thread: the first conversion loads
     * and introspects many classes, which on a busy machine can exceed the SDK's 1 s deadlock detector.
     */
    public static void warmUp(Class<?>... types) {
        for (Class<?> type : types) {
            try {
                PLAIN.valueToTree(STRICT.treeToValue(PLAIN.createObjectNode(), type));
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException expected) {
                // an empty object is not a valid input; the deserializer now exists
            }
        }
    }

    /** The JSON tree of a record (for passing typed inputs to a child workflow that takes raw JSON). */
    public static JsonNode tree(Object value) {
        return PLAIN.valueToTree(value);
    }

    /** A non-retryable failure of type BadInput with this message. */
    public static ApplicationFailure badInput(String message) {
        return ApplicationFailure.newNonRetryableFailure(message, BAD_INPUT);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
