package salmonrun.worker.demo;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The demo summary as text: phases with durations and key figures, then the grader's rates per model side by side. */
public final class SummaryText {
    private SummaryText() {}

    public static void print(DemoSummary s, PrintWriter out) {
        out.println();
        out.println("== salmon demo (" + s.preset() + "): " + s.status()
                + (s.workflowId() == null ? "" : "  run " + s.workflowId() + " (lineage run " + s.runId() + ")")
                + "  total " + ProgressDisplay.duration(s.totalSeconds()));
        if (s.baseModel() != null) {
            DemoSummary.BaseModelSummary b = s.baseModel();
            out.printf("%-14s %-9s %8s  %s%n", "base model", b.memoized() ? "memoized" : "ran",
                    ProgressDisplay.duration(b.memoized() ? b.computeSeconds() : b.seconds()),
                    "checkpoint " + b.artifactId() + (b.memoized() ? " (reused from execution " + b.executionId()
                            + ", pretrained in " + ProgressDisplay.duration(b.computeSeconds()) + ")" : "")
                            + figures(b.metrics(), 6));
        }
        for (DemoSummary.PhaseSummary p : s.phases()) {
            String time = p.seconds() == null ? "-" : ProgressDisplay.duration(p.seconds());
            String note = switch (p.status()) {
                case "memoized" -> "reused execution " + p.executionId() + " (computed in "
                        + ProgressDisplay.duration(p.computeSeconds()) + ")" + figures(p.metrics(), 6);
                case "ran" -> "execution " + p.executionId() + figures(p.metrics(), 8);
                case "not_available" -> "not built yet (see below)";
                default -> "";
            };
            out.printf("%-14s %-13s %8s  %s%n", p.phase(), p.status(), time, note);
        }
        if (!s.evaluations().isEmpty()) {
            out.println();
            out.println("grader on held-out instructions (share of answers where the attribute holds):");
            TreeSet<String> attributes = new TreeSet<>();
            s.evaluations().forEach(e -> attributes.addAll(e.attributes().keySet()));
            out.printf("%-22s", "attribute");
            for (DemoSummary.EvaluationSummary e : s.evaluations()) {
                out.printf(" %15s", e.model());
            }
            out.println();
            out.printf("%-22s", "composite (0-100)");
            for (DemoSummary.EvaluationSummary e : s.evaluations()) {
                out.printf(" %15s", e.composite() == null ? "-" : String.format("%.1f", e.composite()));
            }
            out.println();
            for (String a : attributes) {
                out.printf("%-22s", a);
                for (DemoSummary.EvaluationSummary e : s.evaluations()) {
                    Double v = e.attributes().get(a);
                    out.printf(" %15s", v == null ? "-" : String.format("%.2f", v));
                }
                out.println();
            }
        }
        if (!s.reused().isEmpty()) {
            out.println();
            out.println("reused from an earlier demo (memoized; --force recomputes): " + String.join(", ", s.reused()));
        }
        if (!s.notAvailable().isEmpty()) {
            out.println();
            out.println("not built yet, so not run (nothing is faked):");
            s.notAvailable().forEach((piece, why) -> out.println("  " + piece + ": " + why));
        }
        if (s.error() != null) {
            out.println();
            out.println("error: " + s.error());
        }
        if (s.workflowId() != null) {
            out.println();
            out.println("audit it: ./salmon audit " + s.workflowId());
        }
        out.flush();
    }

    static String figures(Map<String, Double> metrics, int max) {
        if (metrics.isEmpty()) {
            return "";
        }
        List<String> shown = metrics.entrySet().stream().limit(max)
                .map(e -> e.getKey() + "=" + String.format("%.4g", e.getValue())).collect(Collectors.toList());
        return "  " + String.join(" ", shown) + (metrics.size() > max ? " ..." : "");
    }
}
