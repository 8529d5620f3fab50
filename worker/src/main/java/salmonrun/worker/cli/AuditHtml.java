package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.AuditEvent;
import salmonrun.activities.lineage.AuditedArtifact;
import salmonrun.activities.lineage.ChainCheck;
import salmonrun.activities.lineage.ExecutionDetail;
import salmonrun.activities.lineage.ExemplarSetRef;
import salmonrun.activities.lineage.LineageEdge;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.activities.lineage.PrincipleSetRef;
import salmonrun.activities.lineage.Run;
import salmonrun.activities.lineage.RunAuditReport;
import salmonrun.activities.lineage.RunComparison;
import salmonrun.activities.lineage.TrainingMetric;
import salmonrun.activities.principles.PrincipleDiff;
import salmonrun.activities.principles.Role;

/**
 * A run audit as one self-contained HTML page: no external files, fonts or scripts. The lineage
 * graph and training curves are inline SVG; evaluation and preference statistics are tables
 * rendered from artifact metadata. A few lines of inline script record on the body element
 * whether every SVG laid out and whether any script error occurred (data-svg-rendered,
 * data-js-errors), so a headless browser can confirm the page rendered.
 */
final class AuditHtml {
    private static final int NODE_W = 190;
    private static final int NODE_H = 46;
    private static final int COL_GAP = 70;
    private static final int ROW_GAP = 14;
    private static final int PAD = 16;
    /** Artifact kinds whose metadata holds figures worth tabulating. */
    private static final Set<String> EVALUATION_KINDS = Set.of("evaluation");
    private static final Set<String> PREFERENCE_KINDS = Set.of("preference-dataset", "judgement-shard");

    private AuditHtml() {}

    static String render(RunAuditReport r, List<PrincipleChanges.SetDiff> diffs) {
        Run run = r.run();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Salmon Run audit: ")
                .append(esc(run.workflowId())).append("</title>\n<style>").append(CSS).append("</style>\n")
                .append("<script>").append(SELF_CHECK).append("</script>\n</head><body>\n");
        h.append("<h1>Audit of run ").append(esc(run.workflowId())).append("</h1>\n");
        ChainCheck c = r.chain();
        h.append("<p class=\"chain ").append(c.ok() ? "ok" : "bad").append("\">Audit chain: ")
                .append(c.ok() ? "intact (" + c.eventsChecked() + " events verified)"
                        : "BROKEN at event " + c.firstBadId() + ": " + esc(c.problem()))
                .append("</p>\n");
        h.append("<table class=\"kv\">");
        kv(h, "Run id", String.valueOf(run.id()));
        kv(h, "Status", run.status());
        kv(h, "Started by", run.startedBy());
        kv(h, "Started", String.valueOf(run.startedAt()));
        kv(h, "Finished", run.finishedAt() == null ? "-" : run.finishedAt().toString());
        h.append("</table>\n<h2>Spec</h2>\n<pre>").append(esc(pretty(run.spec()))).append("</pre>\n");

        principles(h, r);
        principleDiffs(h, diffs);
        graph(h, r);
        executions(h, r);
        curves(h, r);
        metadataSection(h, r, EVALUATION_KINDS, "Evaluations", "evaluations");
        metadataSection(h, r, PREFERENCE_KINDS, "Preference statistics", "preferences");
        artifacts(h, r);
        events(h, r);
        h.append("</body></html>\n");
        return h.toString();
    }

    // ---------------------------------------------------------------- sections

    private static void principles(StringBuilder h, RunAuditReport r) {
        h.append("<h2>Principle and exemplar sets</h2>\n<table><tr><th>Set</th><th>Name</th><th>Content hash</th>"
                + "<th>Parent</th><th>Created by</th><th>Note</th><th>Used by executions</th></tr>\n");
        for (PrincipleSetRef p : r.principleSets()) {
            h.append("<tr><td>principles #").append(p.id()).append("</td><td>").append(esc(p.name()))
                    .append("</td><td class=\"hash\">").append(p.contentHash()).append("</td><td>")
                    .append(p.parentId() == null ? "-" : "#" + p.parentId()).append("</td><td>")
                    .append(esc(p.createdBy())).append("</td><td>").append(esc(p.note())).append("</td><td>")
                    .append(p.usedByExecutions()).append("</td></tr>\n");
        }
        for (ExemplarSetRef e : r.exemplarSets()) {
            h.append("<tr><td>exemplars #").append(e.id()).append("</td><td>").append(esc(e.name()))
                    .append("</td><td class=\"hash\">").append(e.contentHash()).append("</td><td>-</td><td>")
                    .append(esc(e.createdBy())).append("</td><td></td><td>").append(e.usedByExecutions())
                    .append("</td></tr>\n");
        }
        if (r.principleSets().isEmpty() && r.exemplarSets().isEmpty()) {
            h.append("<tr><td colspan=\"7\">No principle or exemplar set recorded on this run's executions.</td></tr>\n");
        }
        h.append("</table>\n");
        RunComparison prev = r.previous();
        if (prev == null) {
            h.append("<p>No earlier run to compare with.</p>\n");
        } else {
            h.append("<p>Previous run <b>").append(esc(prev.previousRun().workflowId())).append("</b> used ");
            if (prev.previousPrincipleSets().isEmpty()) {
                h.append("no principle set");
            } else {
                List<String> names = new ArrayList<>();
                prev.previousPrincipleSets().forEach(p -> names.add("#" + p.id() + " " + esc(p.name())));
                h.append(String.join(", ", names));
            }
            h.append(prev.principleSetsChanged() ? ": <span class=\"bad\">principles changed since then</span>"
                    : ": principles unchanged").append(".</p>\n");
        }
    }

    private static void principleDiffs(StringBuilder h, List<PrincipleChanges.SetDiff> diffs) {
        for (PrincipleChanges.SetDiff d : diffs) {
            h.append("<h3>Principle changes #").append(d.fromSetId()).append(" → #").append(d.toSetId()).append(" (")
                    .append(esc(d.context())).append(")</h3>\n");
            if (d.diff() == null) {
                h.append("<p class=\"bad\">").append(esc(d.problem())).append("</p>\n");
                continue;
            }
            if (d.diff().isEmpty()) {
                h.append("<p>No principle changed.</p>\n");
                continue;
            }
            h.append("<table class=\"diff\"><tr><th>Change</th><th>Role</th><th>Principle</th><th>What</th></tr>\n");
            for (PrincipleDiff.Change c : d.diff().changes()) {
                Role role = c.toRole() != null ? c.toRole() : c.fromRole();
                h.append("<tr class=\"").append(c.kind().name().toLowerCase(Locale.ROOT)).append("\"><td>")
                        .append(esc(c.kind().label())).append("</td><td>").append(role == null ? "" : esc(role.dbName()))
                        .append("</td><td>").append(esc(c.name())).append("</td><td>").append(esc(c.detail()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static void graph(StringBuilder h, RunAuditReport r) {
        h.append("<h2>Lineage graph</h2>\n");
        Map<Long, AuditedArtifact> nodes = new LinkedHashMap<>();
        r.artifacts().forEach(a -> nodes.put(a.artifact().id(), a));
        if (nodes.isEmpty()) {
            h.append("<p>No artifacts recorded for this run.</p>\n");
            return;
        }
        List<LineageEdge> edges = new ArrayList<>();
        for (AuditedArtifact a : nodes.values()) {
            for (LineageEdge e : a.inputs()) {
                if (nodes.containsKey(e.inputArtifactId())) {
                    edges.add(e);
                }
            }
        }
        Map<Long, Integer> layer = new HashMap<>();
        for (long id : nodes.keySet()) {
            layerOf(id, nodes, layer, new HashSet<>());
        }
        int layers = layer.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        // Order each column by the mean row of its inputs, which keeps most edges short and uncrossed.
        Map<Long, Integer> row = new HashMap<>();
        List<List<Long>> columns = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            List<Long> col = new ArrayList<>();
            for (long id : nodes.keySet()) {
                if (layer.get(id) == l) {
                    col.add(id);
                }
            }
            col.sort(Comparator.comparingDouble((Long id) -> meanInputRow(nodes.get(id), row)).thenComparing(id -> id));
            for (int i = 0; i < col.size(); i++) {
                row.put(col.get(i), i);
            }
            columns.add(col);
        }
        int maxRows = columns.stream().mapToInt(List::size).max().orElse(1);
        // Edges that skip columns would run behind the boxes in between; they bow below the rows instead.
        int maxSpan = 1;
        for (LineageEdge e : edges) {
            maxSpan = Math.max(maxSpan, layer.get(e.artifactId()) - layer.get(e.inputArtifactId()));
        }
        int width = PAD * 2 + layers * NODE_W + (layers - 1) * COL_GAP;
        int height = PAD * 2 + maxRows * NODE_H + (maxRows - 1) * ROW_GAP + (maxSpan > 1 ? bow(maxSpan) : 0);
        h.append("<div class=\"scroll\"><svg class=\"lineage\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\" role=\"img\" aria-label=\"lineage graph\">\n")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                        + "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
                        + "fill=\"#667\"/></marker></defs>\n");
        for (LineageEdge e : edges) {
            int span = layer.get(e.artifactId()) - layer.get(e.inputArtifactId());
            double x1 = x(layer.get(e.inputArtifactId())) + NODE_W;
            double y1 = y(row.get(e.inputArtifactId())) + NODE_H / 2.0;
            double x2 = x(layer.get(e.artifactId()));
            double y2 = y(row.get(e.artifactId())) + NODE_H / 2.0;
            String d;
            if (span <= 1) {
                d = String.format(Locale.ROOT, "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, y1, x1 + COL_GAP / 2.0,
                        y1, x2 - COL_GAP / 2.0, y2, x2, y2);
            } else {
                double below = y(maxRows - 1) + NODE_H + bow(span) - ROW_GAP;
                d = String.format(Locale.ROOT, "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, y1, x1 + COL_GAP, below,
                        x2 - COL_GAP, below, x2, y2);
            }
            h.append("<path class=\"edge\" d=\"").append(d).append("\" marker-end=\"url(#arrow)\"><title>")
                    .append(esc("#" + e.inputArtifactId() + " → #" + e.artifactId() + " as " + e.role()))
                    .append("</title></path>\n");
        }
        for (AuditedArtifact aa : nodes.values()) {
            Artifact a = aa.artifact();
            int nx = x(layer.get(a.id()));
            int ny = y(row.get(a.id()));
            h.append("<g class=\"node").append(aa.fromThisRun() ? "" : " external").append("\">")
                    .append("<title>").append(esc(tooltip(aa))).append("</title>")
                    .append("<rect x=\"").append(nx).append("\" y=\"").append(ny).append("\" width=\"").append(NODE_W)
                    .append("\" height=\"").append(NODE_H).append("\" rx=\"6\" fill=\"").append(color(a.kind()))
                    .append("\"/>")
                    .append("<text x=\"").append(nx + 8).append("\" y=\"").append(ny + 18).append("\">#").append(a.id())
                    .append(' ').append(esc(a.kind())).append("</text>")
                    .append("<text class=\"small\" x=\"").append(nx + 8).append("\" y=\"").append(ny + 36).append("\">")
                    .append(a.sha256(), 0, 12).append(" · ").append(esc(aa.producerPhase() == null ? "registered"
                            : aa.producerPhase())).append("</text></g>\n");
        }
        h.append("</svg></div>\n<p class=\"note\">Left to right: inputs to outputs. Dashed boxes were made by an "
                + "earlier run or a memoized phase and used here. Hover for details.</p>\n");
    }

    private static int layerOf(long id, Map<Long, AuditedArtifact> nodes, Map<Long, Integer> layer, Set<Long> visiting) {
        Integer known = layer.get(id);
        if (known != null) {
            return known;
        }
        int l = 0;
        if (visiting.add(id)) { // lineage is acyclic; the guard only keeps a corrupted database from looping
            for (LineageEdge e : nodes.get(id).inputs()) {
                if (nodes.containsKey(e.inputArtifactId())) {
                    l = Math.max(l, layerOf(e.inputArtifactId(), nodes, layer, visiting) + 1);
                }
            }
        }
        layer.put(id, l);
        return l;
    }

    private static double meanInputRow(AuditedArtifact a, Map<Long, Integer> row) {
        double sum = 0;
        int n = 0;
        for (LineageEdge e : a.inputs()) {
            Integer r = row.get(e.inputArtifactId());
            if (r != null) {
                sum += r;
                n++;
            }
        }
        return n == 0 ? Double.MAX_VALUE : sum / n;
    }

    /** How far below the lowest row an edge spanning this many columns dips. */
    private static int bow(int span) {
        return 18 + 14 * span;
    }

    private static int x(int layer) {
        return PAD + layer * (NODE_W + COL_GAP);
    }

    private static int y(int row) {
        return PAD + row * (NODE_H + ROW_GAP);
    }

    private static String tooltip(AuditedArtifact aa) {
        Artifact a = aa.artifact();
        return "#" + a.id() + " " + a.kind() + "\nsha256 " + a.sha256() + "\n" + Sizes.human(a.bytes())
                + (a.producedBy() == null ? "" : "\nproduced by " + aa.producerPhase() + " execution #" + a.producedBy())
                + (aa.workerIdentity() == null ? "" : "\nworker " + aa.workerIdentity())
                + (aa.fromThisRun() ? "" : "\nmade by " + (aa.producerWorkflowId() == null ? "another run"
                        : "run " + aa.producerWorkflowId()));
    }

    private static String color(String kind) {
        return switch (kind) {
            case "corpus", "tokenizer", "prompt-pool" -> "#dbe9f6";
            case "checkpoint" -> "#fde2c4";
            case "self-align-shard", "self-align-data" -> "#e1f2dc";
            case "response-pairs", "judgement-shard", "preference-dataset" -> "#efe0f5";
            case "rollouts" -> "#f8f1c8";
            case "evaluation" -> "#f9d6d5";
            default -> "#e8e8e8";
        };
    }

    private static void executions(StringBuilder h, RunAuditReport r) {
        h.append("<h2>Phase executions</h2>\n");
        if (r.executions().isEmpty() && r.reusedExecutions().isEmpty()) {
            h.append("<p>No phase executions recorded.</p>\n");
            return;
        }
        h.append("<table><tr><th>#</th><th>Phase</th><th>Status</th><th>Attempt</th><th>Worker</th><th>Duration</th>"
                + "<th>Principle set</th><th>Outputs</th><th>Error</th></tr>\n");
        for (ExecutionDetail d : r.executions()) {
            PhaseExecution e = d.execution();
            h.append("<tr><td>").append(e.id()).append("</td><td>").append(esc(e.phase())).append("</td><td class=\"")
                    .append(esc(e.status())).append("\">").append(esc(e.status())).append("</td><td>").append(e.attempt())
                    .append("</td><td>").append(esc(e.workerIdentity())).append("</td><td>")
                    .append(AuditTextReport.duration(d)).append("</td><td>")
                    .append(d.principleSetId() == null ? "-" : "#" + d.principleSetId()).append("</td><td>")
                    .append(esc(e.outputs().toString())).append("</td><td>").append(esc(d.error())).append("</td></tr>\n");
        }
        for (ExecutionDetail d : r.reusedExecutions()) {
            PhaseExecution e = d.execution();
            h.append("<tr class=\"reused\"><td>").append(e.id()).append("</td><td>").append(esc(e.phase()))
                    .append("</td><td>reused</td><td>").append(e.attempt()).append("</td><td>")
                    .append(esc(e.workerIdentity())).append("</td><td>").append(AuditTextReport.duration(d))
                    .append("</td><td>").append(d.principleSetId() == null ? "-" : "#" + d.principleSetId())
                    .append("</td><td>").append(esc(e.outputs().toString())).append("</td><td>memoized: made by run id ")
                    .append(e.runId()).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (ExecutionDetail d : r.executions()) {
            PhaseExecution e = d.execution();
            if (e.metrics() == null || e.metrics().isEmpty()) {
                continue;
            }
            h.append("<h3>Metrics of execution #").append(e.id()).append(' ').append(esc(e.phase())).append("</h3>\n");
            jsonTables(h, e.metrics(), null);
        }
    }

    private static void curves(StringBuilder h, RunAuditReport r) {
        h.append("<h2>Training curves</h2>\n");
        if (r.trainingMetrics().isEmpty()) {
            h.append("<p>No per-step training metrics recorded.</p>\n");
            return;
        }
        Map<Long, String> phases = new HashMap<>();
        r.executions().forEach(d -> phases.put(d.execution().id(), d.execution().phase()));
        for (Map.Entry<Long, List<TrainingMetric>> entry : r.trainingMetrics().entrySet()) {
            h.append("<h3>Execution #").append(entry.getKey()).append(' ').append(esc(phases.get(entry.getKey())))
                    .append("</h3>\n<div class=\"charts\">\n");
            Map<String, List<double[]>> series = new TreeMap<>();
            for (TrainingMetric m : entry.getValue()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = m.metrics().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getValue().isNumber()) {
                        series.computeIfAbsent(f.getKey(), k -> new ArrayList<>())
                                .add(new double[] {m.step(), f.getValue().asDouble()});
                    }
                }
            }
            for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
                chart(h, s.getKey(), s.getValue());
            }
            h.append("</div>\n");
        }
    }

    /** One line chart: steps on x, the metric on y, min/max labelled. */
    private static void chart(StringBuilder h, String name, List<double[]> points) {
        int w = 340;
        int ht = 190;
        int left = 56;
        int right = 12;
        int top = 24;
        int bottom = 30;
        double minX = points.stream().mapToDouble(p -> p[0]).min().orElse(0);
        double maxX = points.stream().mapToDouble(p -> p[0]).max().orElse(1);
        double minY = points.stream().mapToDouble(p -> p[1]).min().orElse(0);
        double maxY = points.stream().mapToDouble(p -> p[1]).max().orElse(1);
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + Math.max(1e-9, Math.abs(minY) * 0.05 + 1e-9);
        }
        StringBuilder pts = new StringBuilder();
        for (double[] p : points) {
            double px = left + (p[0] - minX) / (maxX - minX) * (w - left - right);
            double py = top + (1 - (p[1] - minY) / (maxY - minY)) * (ht - top - bottom);
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        }
        h.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
                .append(ht).append("\" viewBox=\"0 0 ").append(w).append(' ').append(ht)
                .append("\" role=\"img\" aria-label=\"").append(esc(name)).append("\">")
                .append("<text class=\"title\" x=\"").append(left).append("\" y=\"15\">").append(esc(name)).append("</text>")
                .append("<line class=\"axis\" x1=\"").append(left).append("\" y1=\"").append(ht - bottom).append("\" x2=\"")
                .append(w - right).append("\" y2=\"").append(ht - bottom).append("\"/>")
                .append("<line class=\"axis\" x1=\"").append(left).append("\" y1=\"").append(top).append("\" x2=\"")
                .append(left).append("\" y2=\"").append(ht - bottom).append("\"/>")
                .append("<text class=\"tick\" x=\"").append(left - 4).append("\" y=\"").append(top + 4)
                .append("\" text-anchor=\"end\">").append(num(maxY)).append("</text>")
                .append("<text class=\"tick\" x=\"").append(left - 4).append("\" y=\"").append(ht - bottom)
                .append("\" text-anchor=\"end\">").append(num(minY)).append("</text>")
                .append("<text class=\"tick\" x=\"").append(left).append("\" y=\"").append(ht - 10).append("\">step ")
                .append(num(minX)).append("</text>")
                .append("<text class=\"tick\" x=\"").append(w - right).append("\" y=\"").append(ht - 10)
                .append("\" text-anchor=\"end\">").append(num(points.get(points.size() - 1)[0])).append("</text>")
                .append("<polyline class=\"series\" points=\"").append(pts.toString().trim()).append("\"/>");
        if (points.size() == 1) {
            String[] xy = pts.toString().trim().split(",");
            h.append("<circle class=\"dot\" cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"3\"/>");
        }
        h.append("</svg>\n");
    }

    private static void metadataSection(StringBuilder h, RunAuditReport r, Set<String> kinds, String title, String cls) {
        List<AuditedArtifact> matching = r.artifacts().stream().filter(a -> kinds.contains(a.artifact().kind())).toList();
        h.append("<h2>").append(title).append("</h2>\n<div class=\"").append(cls).append("\">\n");
        if (kinds.contains("evaluation")) {
            sideBySide(h, EvaluationTables.of(r));
        }
        if (matching.isEmpty()) {
            h.append("<p>No ").append(String.join(" or ", new java.util.TreeSet<>(kinds)))
                    .append(" artifacts in this run.</p>\n");
        }
        for (AuditedArtifact aa : matching) {
            Artifact a = aa.artifact();
            h.append("<h3>").append(esc(a.kind())).append(" #").append(a.id()).append(" <span class=\"hash\">")
                    .append(a.sha256(), 0, 12).append("</span></h3>\n");
            if (a.metadata() == null || a.metadata().isEmpty()) {
                h.append("<p>(no metadata)</p>\n");
            } else {
                jsonTables(h, a.metadata(), null);
            }
        }
        h.append("</div>\n");
    }

    /** Every evaluated model in one row per table, so base, SFT and PPO read side by side. */
    private static void sideBySide(StringBuilder h, List<EvaluationTables.Table> tables) {
        for (EvaluationTables.Table t : tables) {
            h.append("<h3>Side by side: ").append(esc(t.kind())).append("</h3>\n<table class=\"side-by-side\"><tr>"
                    + "<th>Model</th><th>Evaluation</th>");
            t.columns().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
            h.append("</tr>\n");
            for (EvaluationTables.Row row : t.rows()) {
                h.append("<tr><th>").append(esc(row.label())).append("</th><td>#").append(row.evaluationId()).append("</td>");
                t.columns().forEach(c -> {
                    Double v = row.figures().get(c);
                    h.append("<td>").append(v == null ? "" : num(v)).append("</td>");
                });
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static void artifacts(StringBuilder h, RunAuditReport r) {
        h.append("<h2>Artifacts</h2>\n<table><tr><th>#</th><th>Kind</th><th>sha256</th><th>Size</th><th>Producer</th>"
                + "<th>Worker</th><th>Inputs</th><th>Origin</th></tr>\n");
        for (AuditedArtifact aa : r.artifacts()) {
            Artifact a = aa.artifact();
            List<String> inputs = new ArrayList<>();
            aa.inputs().forEach(e -> inputs.add("#" + e.inputArtifactId() + " (" + e.role() + ")"));
            h.append("<tr><td>").append(a.id()).append("</td><td>").append(esc(a.kind())).append("</td><td class=\"hash\">")
                    .append(a.sha256()).append("</td><td>").append(Sizes.human(a.bytes())).append("</td><td>")
                    .append(a.producedBy() == null ? "-" : esc(aa.producerPhase()) + " #" + a.producedBy())
                    .append("</td><td>").append(esc(aa.workerIdentity())).append("</td><td>")
                    .append(esc(String.join(", ", inputs))).append("</td><td>")
                    .append(aa.fromThisRun() ? "this run" : esc("used; made by " + (aa.producerWorkflowId() == null
                            ? "another run" : aa.producerWorkflowId())))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void events(StringBuilder h, RunAuditReport r) {
        h.append("<h2>Audit events</h2>\n<table><tr><th>#</th><th>When</th><th>Who</th><th>What</th><th>Why</th>"
                + "<th>Details</th><th>Hash</th></tr>\n");
        for (AuditEvent e : r.events()) {
            h.append("<tr><td>").append(e.id()).append("</td><td>").append(e.createdAt()).append("</td><td>")
                    .append(esc(e.actor())).append("</td><td>").append(esc(e.action())).append("</td><td>")
                    .append(esc(e.reason())).append("</td><td><code>").append(esc(String.valueOf(e.payload())))
                    .append("</code></td><td class=\"hash\">").append(e.hash(), 0, 12).append("</td></tr>\n");
        }
        if (r.events().isEmpty()) {
            h.append("<tr><td colspan=\"7\">No audit events for this run.</td></tr>\n");
        }
        h.append("</table>\n");
    }

    // ---------------------------------------------------------------- JSON as tables

    /**
     * Renders JSON figures as tables: an object of flat objects becomes a matrix (rows x columns),
     * an array of flat objects a row table, scalars a key/value table; deeper nesting recurses
     * under a heading.
     */
    static void jsonTables(StringBuilder h, JsonNode node, String title) {
        if (title != null) {
            h.append("<h4>").append(esc(title)).append("</h4>\n");
        }
        if (node.isObject() && isMatrix(node)) {
            Set<String> columns = new LinkedHashSet<>();
            node.fields().forEachRemaining(f -> f.getValue().fieldNames().forEachRemaining(columns::add));
            h.append("<table class=\"matrix\"><tr><th></th>");
            columns.forEach(col -> h.append("<th>").append(esc(col)).append("</th>"));
            h.append("</tr>\n");
            node.fields().forEachRemaining(f -> {
                h.append("<tr><th>").append(esc(f.getKey())).append("</th>");
                columns.forEach(col -> h.append("<td>").append(scalar(f.getValue().get(col))).append("</td>"));
                h.append("</tr>\n");
            });
            h.append("</table>\n");
            return;
        }
        if (node.isArray() && node.size() > 0 && allFlatObjects(node)) {
            Set<String> columns = new LinkedHashSet<>();
            node.forEach(o -> o.fieldNames().forEachRemaining(columns::add));
            h.append("<table class=\"rows\"><tr>");
            columns.forEach(col -> h.append("<th>").append(esc(col)).append("</th>"));
            h.append("</tr>\n");
            node.forEach(o -> {
                h.append("<tr>");
                columns.forEach(col -> h.append("<td>").append(scalar(o.get(col))).append("</td>"));
                h.append("</tr>\n");
            });
            h.append("</table>\n");
            return;
        }
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> nested = new ArrayList<>();
            StringBuilder flat = new StringBuilder();
            node.fields().forEachRemaining(f -> {
                if (isScalarOrScalarArray(f.getValue())) {
                    flat.append("<tr><th>").append(esc(f.getKey())).append("</th><td>").append(scalar(f.getValue()))
                            .append("</td></tr>\n");
                } else {
                    nested.add(f);
                }
            });
            if (flat.length() > 0) {
                h.append("<table class=\"kv\">").append(flat).append("</table>\n");
            }
            for (Map.Entry<String, JsonNode> f : nested) {
                jsonTables(h, f.getValue(), title == null ? f.getKey() : title + " / " + f.getKey());
            }
            return;
        }
        h.append("<pre>").append(esc(pretty(node))).append("</pre>\n");
    }

    private static boolean isMatrix(JsonNode node) {
        if (node.size() == 0) {
            return false;
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            JsonNode v = it.next();
            if (!v.isObject() || v.size() == 0 || !allScalarValues(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFlatObjects(JsonNode array) {
        for (JsonNode o : array) {
            if (!o.isObject() || !allScalarValues(o)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allScalarValues(JsonNode o) {
        for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
            if (it.next().isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isScalarOrScalarArray(JsonNode v) {
        if (!v.isContainerNode()) {
            return true;
        }
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (e.isContainerNode()) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static String scalar(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? v.asText() : num(v.asDouble());
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(scalar(e)));
            return String.join(", ", parts);
        }
        return esc(v.asText());
    }

    // ---------------------------------------------------------------- text helpers

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pretty(JsonNode n) {
        try {
            return CliContext.JSON.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(n);
        }
    }

    /** HTML-escapes text (null becomes empty). */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d1d24;max-width:1400px}
            h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
            h3{font-size:15px;margin:16px 0 6px}h4{font-size:13px;margin:10px 0 4px;color:#444}
            table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #d6d6de;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f3f3f7;font-weight:600}td.completed{color:#1b7a2b}td.failed{color:#b3261e}
            .hash,code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
            pre{background:#f6f6f9;padding:8px;overflow:auto;max-height:320px}
            .chain{padding:6px 10px;border-radius:4px;display:inline-block}.chain.ok{background:#e3f5e6}.chain.bad{background:#fbe3e1}
            tr.reused td{color:#555;font-style:italic}.bad{color:#b3261e;font-weight:600}.note{color:#666;font-size:12px}.scroll{overflow:auto;border:1px solid #eee}
            svg text{font:12px system-ui,sans-serif;fill:#1d1d24}svg text.small{font:11px ui-monospace,monospace;fill:#444}
            .node rect{stroke:#556;stroke-width:1}.node.external rect{stroke-dasharray:5 3}
            .edge{fill:none;stroke:#667;stroke-width:1.3}
            .charts{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #e4e4ea;background:#fff}
            .chart .axis{stroke:#889}.chart .series{fill:none;stroke:#2b6cb0;stroke-width:1.6}.chart .dot{fill:#2b6cb0}
            .diff .added td:first-child{color:#1b7a2b}.diff .removed td:first-child{color:#b3261e}
            .chart .title{font-weight:600}.chart .tick{font-size:10px;fill:#555}
            """;

    private static final String SELF_CHECK = """
            window.addEventListener('error',function(e){document.documentElement.setAttribute('data-js-errors',String(e.message));});
            document.addEventListener('DOMContentLoaded',function(){var s=document.querySelectorAll('svg'),ok=0;
            for(var i=0;i<s.length;i++){var b=s[i].getBBox();if(b.width>0&&b.height>0)ok++;}
            document.body.setAttribute('data-svg-rendered',ok+'/'+s.length);});
            """;
}
