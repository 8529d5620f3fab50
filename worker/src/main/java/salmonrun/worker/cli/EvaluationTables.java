package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.AuditedArtifact;
import salmonrun.activities.lineage.LineageEdge;
import salmonrun.activities.lineage.RunAuditReport;

/**
 * Model evaluations of a run side by side: evaluation artifacts whose metadata holds a "report"
 * object (EvaluationPhase's shape), one table per metadata "kind", one row per evaluated model,
 * one column per numeric leaf of the report (nested keys as dotted paths). Other evaluation
 * shapes are shown artifact by artifact in the HTML report.
 */
final class EvaluationTables {
    record Row(String label, long evaluationId, Map<String, Double> figures) {}

    record Table(String kind, List<String> columns, List<Row> rows) {}

    private EvaluationTables() {}

    static List<Table> of(RunAuditReport report) {
        Map<Long, AuditedArtifact> byId = new HashMap<>();
        report.artifacts().forEach(a -> byId.put(a.artifact().id(), a));
        Map<String, List<Row>> rowsByKind = new LinkedHashMap<>();
        for (AuditedArtifact aa : report.artifacts()) {
            Artifact a = aa.artifact();
            if (!"evaluation".equals(a.kind()) || a.metadata() == null || !a.metadata().isObject()) {
                continue;
            }
            JsonNode meta = a.metadata();
            if (!meta.path("report").isObject()) {
                continue;
            }
            Map<String, Double> figures = new LinkedHashMap<>();
            flatten("", meta.get("report"), figures);
            if (figures.isEmpty()) {
                continue;
            }
            String kind = meta.path("kind").isTextual() ? meta.get("kind").asText() : "evaluation";
            rowsByKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Row(label(aa, byId), a.id(), figures));
        }
        List<Table> tables = new ArrayList<>();
        rowsByKind.forEach((kind, rows) -> {
            Set<String> columns = new LinkedHashSet<>();
            rows.forEach(r -> columns.addAll(r.figures().keySet()));
            tables.add(new Table(kind, List.copyOf(columns), rows));
        });
        return tables;
    }

    /** "label" from the metadata if any, else the evaluated model: "checkpoint #12 from ppo". */
    private static String label(AuditedArtifact eval, Map<Long, AuditedArtifact> byId) {
        JsonNode meta = eval.artifact().metadata();
        for (String key : List.of("label", "model_label", "model")) {
            if (meta.path(key).isTextual()) {
                return meta.get(key).asText() + withPrinciples(meta);
            }
        }
        for (LineageEdge e : eval.inputs()) {
            if ("model".equals(e.role())) {
                AuditedArtifact model = byId.get(e.inputArtifactId());
                String what = model == null ? "artifact #" + e.inputArtifactId()
                        : model.artifact().kind() + " #" + model.artifact().id()
                                + (model.producerPhase() == null ? "" : " from " + model.producerPhase());
                return what + withPrinciples(meta);
            }
        }
        return "evaluation #" + eval.artifact().id();
    }

    private static String withPrinciples(JsonNode meta) {
        return meta.path("principle_set").isTextual() ? " with principles " + meta.get("principle_set").asText() : "";
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Double> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (f.getValue().isNumber()) {
                out.put(key, f.getValue().asDouble());
            } else if (f.getValue().isObject()) {
                flatten(key, f.getValue(), out);
            }
        }
    }
}
