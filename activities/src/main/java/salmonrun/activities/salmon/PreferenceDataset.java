package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code preference-dataset} artifact. The file is canonical JSON Lines of examples in the reference's
 * field names ({@code dimensions}, {@code negative_definitions} as 0/1, {@code dimension_scores},
 * {@code dominant_dimension_idx}, {@code preference}, {@code flip}, {@code rule_flag}) plus
 * {@code definitions} (the text shown per dimension), {@code swapped}, {@code pass} and
 * {@code example_idx}; same inputs and seed give the same bytes. The recipe (config, seed, input hashes),
 * drop counts and per-principle statistics travel as the artifact's metadata ({@link #metadata()}), where
 * SQL can query them.
 */
public record PreferenceDataset(JsonNode recipe, JsonNode counts, Map<String, PrincipleStatistics> statistics,
        List<PreferenceExample> examples) {
    /** The format tag written into the metadata. */
    public static final String FORMAT = "salmon-preference-dataset/1";

    public PreferenceDataset {
        examples = List.copyOf(examples);
        statistics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
    }

    /** The dataset file: canonical JSON Lines, one example per line. */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (PreferenceExample e : examples) {
            ObjectNode o = SalmonJson.MAPPER.createObjectNode();
            o.put("example_idx", e.exampleIdx());
            o.put("pass", e.pass());
            o.put("instruction", e.prompt().instruction());
            o.put("input", e.prompt().input());
            o.put("output_1", e.output1());
            o.put("output_2", e.output2());
            o.put("preference", e.preference());
            o.put("dominant_dimension_idx", e.dominantIndex());
            o.put("flip", e.flipped());
            o.put("swapped", e.swapped());
            o.put("rule_flag", e.ruleFlag());
            ArrayNode names = o.putArray("dimensions");
            ArrayNode neg = o.putArray("negative_definitions");
            ArrayNode defs = o.putArray("definitions");
            ArrayNode scores = o.putArray("dimension_scores");
            for (PreferenceExample.Choice c : e.dimensions()) {
                names.add(c.name());
                neg.add(c.negated() ? 1 : 0);
                defs.add(c.definition());
                scores.add(SalmonJson.decimal(c.score()));
            }
            out.writeBytes(SalmonJson.bytes(o));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** The artifact metadata: format, recipe, counts and statistics. */
    public ObjectNode metadata() {
        ObjectNode root = SalmonJson.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("examples", examples.size());
        root.set("recipe", recipe);
        root.set("counts", counts);
        root.set("statistics", statisticsJson(statistics));
        return root;
    }

    /** The statistics as a JSON object keyed by principle (NaN written as null); also stored as artifact metadata. */
    public static ObjectNode statisticsJson(Map<String, PrincipleStatistics> stats) {
        ObjectNode out = SalmonJson.MAPPER.createObjectNode();
        for (PrincipleStatistics s : stats.values()) {
            ObjectNode o = out.putObject(s.principle());
            o.put("judged", s.judged());
            num(o, "output1_rate", s.output1Rate());
            num(o, "output2_rate", s.output2Rate());
            num(o, "tie_rate", s.tieRate());
            num(o, "abstain_rate", s.abstainRate());
            num(o, "order_swap_agreement", s.orderSwapAgreement());
            num(o, "mean_position_bias", s.meanPositionBias());
            ArrayNode m = o.putArray("margin_quantiles");
            s.margins().forEach(v -> m.add(SalmonJson.decimal(v)));
            o.put("dataset_labels", s.datasetLabels());
            o.put("grader_pairs", s.graderPairs());
            num(o, "grader_agreement", s.graderAgreement());
            o.put("mean_rule_grader_pairs", s.meanRuleGraderPairs());
            num(o, "mean_rule_grader_agreement", s.meanRuleGraderAgreement());
            ArrayNode f = o.putArray("flags");
            s.flags().forEach(f::add);
        }
        return out;
    }

    private static void num(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, SalmonJson.decimal(v));
        } else {
            o.putNull(field);
        }
    }

    /** Parses the examples of a dataset file. */
    public static List<PreferenceExample> readExamples(byte[] bytes) {
        List<PreferenceExample> examples = new ArrayList<>();
        for (String line : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = SalmonJson.tree(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            List<PreferenceExample.Choice> dims = new ArrayList<>();
            for (int i = 0; i < o.get("dimensions").size(); i++) {
                dims.add(new PreferenceExample.Choice(o.get("dimensions").get(i).asText(),
                        o.get("negative_definitions").get(i).asInt() != 0, o.get("definitions").get(i).asText(),
                        o.get("dimension_scores").get(i).asDouble()));
            }
            examples.add(new PreferenceExample(o.get("example_idx").asInt(), o.get("pass").asInt(),
                    new Prompt(o.get("instruction").asText(), o.get("input").asText(), null, null),
                    o.get("output_1").asText(), o.get("output_2").asText(), o.get("preference").asInt(), dims,
                    o.get("dominant_dimension_idx").asInt(), o.get("flip").asBoolean(), o.get("swapped").asBoolean(),
                    o.get("rule_flag").asBoolean()));
        }
        return examples;
    }

    /** The statistics stored in a dataset artifact's metadata, by principle. */
    public static Map<String, PrincipleStatistics> statisticsFromMetadata(JsonNode metadata) {
        if (!FORMAT.equals(metadata.path("format").asText())) {
            throw new IllegalArgumentException("not preference-dataset metadata (format '"
                    + metadata.path("format").asText() + "', expected '" + FORMAT + "')");
        }
        // JSONB does not keep key order: list the principles in the recipe's dimension order
        JsonNode st = metadata.get("statistics");
        List<String> names = new ArrayList<>();
        metadata.path("recipe").path("dimensions").forEach(d -> names.add(d.asText()));
        st.fieldNames().forEachRemaining(n -> {
            if (!names.contains(n)) {
                names.add(n);
            }
        });
        Map<String, PrincipleStatistics> stats = new LinkedHashMap<>();
        for (String n : names) {
            if (st.has(n)) {
                stats.put(n, fromJson(n, st.get(n)));
            }
        }
        return stats;
    }

    static PrincipleStatistics fromJson(String name, JsonNode o) {
        List<Double> margins = new ArrayList<>();
        o.get("margin_quantiles").forEach(v -> margins.add(v.asDouble()));
        List<String> flags = new ArrayList<>();
        o.get("flags").forEach(v -> flags.add(v.asText()));
        return new PrincipleStatistics(name, o.get("judged").asInt(), d(o, "output1_rate"), d(o, "output2_rate"),
                d(o, "tie_rate"), d(o, "abstain_rate"), d(o, "order_swap_agreement"), d(o, "mean_position_bias"),
                margins, o.get("dataset_labels").asInt(), o.get("grader_pairs").asInt(), d(o, "grader_agreement"),
                o.get("mean_rule_grader_pairs").asInt(), d(o, "mean_rule_grader_agreement"), flags);
    }

    private static double d(JsonNode o, String f) {
        JsonNode v = o.get(f);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }
}
