package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an aggregated preference dataset (salmon-method.md P8) as reward-model pairs. Accepts a JSON array or JSON
 * Lines of objects with {@code instruction}, optional {@code input}, {@code output_1}, {@code output_2},
 * {@code preference} (1|2), {@code dimensions} (array of principle names), {@code negative_definitions}
 * (array of 0/1 or booleans, optional: none negated) and the dominant index under {@code dominant_dimension_idx}
 * (or the reference's misspelt {@code doinate_dimension_idx}), and optionally {@code definitions} (the criterion
 * text shown per dimension, as the phases-I aggregation writes it). Errors name the record and field.
 */
public final class PreferenceDatasetReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PreferenceDatasetReader() {}

    public static List<RmPair> read(byte[] bytes, String sourceName) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        List<JsonNode> records = new ArrayList<>();
        try {
            if (text.startsWith("[")) {
                JSON.readTree(text).forEach(records::add);
            } else {
                String[] lines = text.split("\n");
                for (int i = 0; i < lines.length; i++) {
                    if (!lines[i].isBlank()) {
                        try {
                            records.add(JSON.readTree(lines[i]));
                        } catch (IOException e) {
                            throw new IllegalArgumentException(sourceName + " line " + (i + 1) + ": not JSON: "
                                    + e.getMessage(), e);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(sourceName + ": not a JSON array: " + e.getMessage(), e);
        }
        List<RmPair> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            out.add(parse(records.get(i), sourceName + " record " + (i + 1)));
        }
        return out;
    }

    private static RmPair parse(JsonNode n, String where) {
        String instruction = text(n, "instruction", where);
        String input = n.path("input").asText("");
        if (!input.isEmpty()) {
            instruction = instruction + "\n\n" + input;
        }
        JsonNode dims = n.get("dimensions");
        if (dims == null || !dims.isArray() || dims.isEmpty()) {
            throw new IllegalArgumentException(where + ": field 'dimensions' must be a non-empty array of principle names");
        }
        List<String> names = new ArrayList<>();
        dims.forEach(d -> names.add(d.asText()));
        List<Boolean> negated = new ArrayList<>();
        JsonNode neg = n.get("negative_definitions");
        for (int j = 0; j < names.size(); j++) {
            if (neg == null || neg.isNull()) {
                negated.add(false);
            } else if (!neg.isArray() || neg.size() != names.size()) {
                throw new IllegalArgumentException(where + ": field 'negative_definitions' must have one entry per dimension");
            } else {
                JsonNode f = neg.get(j);
                negated.add(f.isBoolean() ? f.asBoolean() : f.asInt() != 0);
            }
        }
        JsonNode dom = n.has("dominant_dimension_idx") ? n.get("dominant_dimension_idx") : n.get("doinate_dimension_idx");
        if (dom == null || !dom.canConvertToInt()) {
            throw new IllegalArgumentException(where + ": field 'dominant_dimension_idx' is missing or not an integer");
        }
        JsonNode pref = n.get("preference");
        if (pref == null || !pref.canConvertToInt() || (pref.asInt() != 1 && pref.asInt() != 2)) {
            throw new IllegalArgumentException(where + ": field 'preference' must be 1 or 2, got " + pref);
        }
        List<String> shown = new ArrayList<>();
        JsonNode defs = n.get("definitions");
        if (defs != null && !defs.isNull()) {
            if (!defs.isArray() || defs.size() != names.size()) {
                throw new IllegalArgumentException(where + ": field 'definitions' must have one text per dimension");
            }
            defs.forEach(d -> shown.add(d.asText()));
        }
        try {
            return new RmPair(instruction, text(n, "output_1", where), text(n, "output_2", where), pref.asInt(),
                    names, negated, dom.asInt(), shown);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + ": field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }
}
