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
                            + baseFigures(b.metrics()));
        }
        for (DemoSummary.PhaseSummary p : s.phases()) {
            String time = p.seconds() == null ? "-" : ProgressDisplay.duration(p.seconds());
            String note = switch (p.status()) {
                case "memoized" -> "reused execution " + p.executionId() + " (computed in "
                        + ProgressDisplay.duration(p.computeSeconds()) + ")" + figures(p.metrics(), 6);
                case "ran" -> "execution " + p.executionId() + figures(p.metrics(), 8);
                case "failed" -> "execution " + p.executionId() + " failed (error below)";
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
            if (s.error().contains("MISSING_PREFIX")) {
                out.println("hint: the base model does not write the self-align thoughts prefix yet, so the filter keeps"
                        + " nothing; it saw " + (s.baseModel() == null ? "too few"
                        : number(s.baseModel().metrics().getOrDefault("steps", 0.0))) + " training steps."
                        + " Pretrain longer (--pretrain-seconds N, or --preset small) on a less busy machine.");
            }
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
        List<String> shown = new java.util.TreeMap<>(metrics).entrySet().stream().limit(max)
                .map(e -> e.getKey() + "=" + number(e.getValue())).collect(Collectors.toList());
        return "  " + String.join(" ", shown) + (metrics.size() > max ? " ... (--json: all)" : "");
    }

    /** The pretraining's key figures: size, steps, speed, held-out loss before and after. */
    static String baseFigures(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        if (m.containsKey("parameters")) {
            sb.append(", ").append(ProgressDisplay.compact(m.get("parameters"))).append(" parameters");
        }
        if (m.containsKey("steps")) {
            sb.append(", ").append(number(m.get("steps"))).append(" steps");
        }
        if (m.containsKey("tokens_per_s")) {
            sb.append(", ").append(ProgressDisplay.compact(m.get("tokens_per_s"))).append(" tok/s");
        }
        if (m.containsKey("held_out_loss_before") && m.containsKey("held_out_loss_after")) {
            sb.append(String.format(", held-out loss %.3f -> %.3f", m.get("held_out_loss_before"),
                    m.get("held_out_loss_after")));
        }
        return sb.toString();
    }

    /** Integers without decimals, others with four significant digits. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format("%.4g", v);
    }
}
