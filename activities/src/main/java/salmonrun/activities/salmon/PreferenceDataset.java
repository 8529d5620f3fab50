package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code preference-dataset} artifact: one canonical JSON document holding the recipe (config, seed,
 * input hashes), the drop counts, the per-principle statistics and the examples. Same inputs and seed give
 * the same bytes. Reward-model training reads {@link #examples()}.
 */
public record PreferenceDataset(JsonNode recipe, JsonNode counts, Map<String, PrincipleStatistics> statistics,
        List<PreferenceExample> examples) {
    /** The format tag written into every file. */
    public static final String FORMAT = "salmon-preference-dataset/1";

    public PreferenceDataset {
        examples = List.copyOf(examples);
        statistics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
    }

    /** Canonical bytes. */
    public byte[] toBytes() {
        ObjectNode root = SalmonJson.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.set("recipe", recipe);
        root.set("counts", counts);
        root.set("statistics", statisticsJson(statistics));
        ArrayNode ex = root.putArray("examples");
        for (PreferenceExample e : examples) {
            ObjectNode o = ex.addObject();
            o.put("example_idx", e.exampleIdx());
            o.put("pass", e.pass());
            o.put("instruction", e.prompt().instruction());
            o.put("input", e.prompt().input());
            o.put("output_1", e.output1());
            o.put("output_2", e.output2());
            o.put("preference", e.preference());
            o.put("dominant_index", e.dominantIndex());
            o.put("dominant_dimension", e.dominantDimension());
            o.put("flip", e.flipped());
            o.put("swapped", e.swapped());
            o.put("rule_flag", e.ruleFlag());
            ArrayNode dims = o.putArray("dimensions");
            for (PreferenceExample.Choice c : e.dimensions()) {
                ObjectNode d = dims.addObject();
                d.put("name", c.name());
                d.put("negated", c.negated());
                d.put("definition", c.definition());
                d.put("score", SalmonJson.decimal(c.score()));
            }
        }
        return SalmonJson.bytes(root);
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

    /** Parses a dataset file (statistics are returned as stored, examples fully). */
    public static PreferenceDataset read(byte[] bytes) {
        JsonNode root = SalmonJson.tree(bytes);
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not a preference dataset (format '" + root.path("format").asText()
                    + "', expected '" + FORMAT + "')");
        }
        List<PreferenceExample> examples = new ArrayList<>();
        for (JsonNode o : root.get("examples")) {
            List<PreferenceExample.Choice> dims = new ArrayList<>();
            for (JsonNode d : o.get("dimensions")) {
                dims.add(new PreferenceExample.Choice(d.get("name").asText(), d.get("negated").asBoolean(),
                        d.get("definition").asText(), d.get("score").asDouble()));
            }
            examples.add(new PreferenceExample(o.get("example_idx").asInt(), o.get("pass").asInt(),
                    new Prompt(o.get("instruction").asText(), o.get("input").asText(), null, null),
                    o.get("output_1").asText(), o.get("output_2").asText(), o.get("preference").asInt(), dims,
                    o.get("dominant_index").asInt(), o.get("flip").asBoolean(), o.get("swapped").asBoolean(),
                    o.get("rule_flag").asBoolean()));
        }
        Map<String, PrincipleStatistics> stats = new LinkedHashMap<>();
        root.get("statistics").fields().forEachRemaining(e -> stats.put(e.getKey(), fromJson(e.getKey(), e.getValue())));
        return new PreferenceDataset(root.get("recipe"), root.get("counts"), stats, examples);
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
