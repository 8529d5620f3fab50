package salmonrun.activities.salmon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;

/** Canonical JSON for phase artifacts: sorted keys, no whitespace, UTF-8, so equal content gives equal bytes. */
public final class SalmonJson {
    /** The mapper every phase uses to read and write artifact files. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private static final MathContext DIGITS = new MathContext(12);

    private SalmonJson() {}

    /** Canonical bytes of a value: object keys sorted at every depth. */
    public static byte[] bytes(Object value) {
        try {
            JsonNode tree = MAPPER.valueToTree(value);
            return MAPPER.writeValueAsString(sortKeys(tree)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses bytes into a tree. */
    public static JsonNode tree(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A double as a decimal with 12 significant digits. Going through the exact BigDecimal value keeps
     * the text identical across JDK versions (Double.toString changed in JDK 19).
     */
    public static BigDecimal decimal(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        return new BigDecimal(value).round(DIGITS).stripTrailingZeros();
    }

    private static JsonNode sortKeys(JsonNode node) {
        if (node.isObject()) {
            var sorted = MAPPER.createObjectNode();
            var names = new java.util.TreeSet<String>();
            node.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                sorted.set(n, sortKeys(node.get(n)));
            }
            return sorted;
        }
        if (node.isArray()) {
            var arr = MAPPER.createArrayNode();
            node.forEach(e -> arr.add(sortKeys(e)));
            return arr;
        }
        return node;
    }
}
