package salmonrun.worker.demo;

import java.io.PrintWriter;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress bars on the error stream: one bar per long step ({@code label}), with step/total, tokens per second (when
 * the step reports {@code tokens_per_s}), the step rate and an ETA extrapolated from the steps done since the bar
 * began. On a terminal the bar is redrawn in place; otherwise a line is printed when the label changes and at most
 * every {@code quietMillis}, so logs stay readable.
 */
public final class ProgressDisplay {
    private static final int WIDTH = 24;
    private final PrintWriter out;
    private final boolean terminal;
    private final long quietMillis;
    private final LongSupplier clock;

    private String label;
    private long labelStartMillis;
    private long firstStep;
    private long firstStepMillis;
    private long lastPrintMillis;
    private String lastLine = "";
    private int drawnWidth;

    public ProgressDisplay(PrintWriter out, boolean terminal, long quietMillis, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.quietMillis = quietMillis;
        this.clock = clock;
    }

    /** A display on {@code out}; redraws in place when a console is attached. */
    public static ProgressDisplay on(PrintWriter out) {
        return new ProgressDisplay(out, System.console() != null, 10_000, System::currentTimeMillis);
    }

    /** Shows the position of {@code label}: step out of total (total 0: open-ended) and its newest figures. */
    public void update(String label, long step, long total, Map<String, Double> metrics) {
        long now = clock.getAsLong();
        boolean fresh = !label.equals(this.label);
        if (fresh) {
            if (this.label != null && terminal) {
                out.println();
                drawnWidth = 0;
            }
            this.label = label;
            labelStartMillis = now;
            firstStep = step;
            firstStepMillis = now;
        } else if (step < firstStep) {
            // A retried attempt restarted the count: measure the rate afresh.
            firstStep = step;
            firstStepMillis = now;
        }
        String line = render(label, step, total, metrics, now);
        if (terminal) {
            if (!line.equals(lastLine)) {
                out.print('\r' + pad(line));
                out.flush();
            }
        } else if (fresh || now - lastPrintMillis >= quietMillis && !line.equals(lastLine)) {
            out.println(line);
            out.flush();
            lastPrintMillis = now;
        }
        lastLine = line;
    }

    /** Ends the current bar with a final line (e.g. "self_align done in 42 s"). */
    public void done(String line) {
        if (terminal && label != null) {
            out.print('\r' + pad(line) + System.lineSeparator());
        } else {
            out.println(line);
        }
        out.flush();
        label = null;
        lastLine = "";
        drawnWidth = 0;
    }

    /** A message on its own line; a bar in progress keeps its rate measurement and is redrawn below it. */
    public void say(String line) {
        if (terminal && label != null) {
            out.print('\r' + pad(line) + System.lineSeparator());
            drawnWidth = 0;
            out.print(lastLine);
            drawnWidth = lastLine.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    String render(String label, long step, long total, Map<String, Double> metrics, long now) {
        StringBuilder sb = new StringBuilder(label);
        if (total > 0) {
            long s = Math.min(step, total);
            int filled = (int) (WIDTH * s / total);
            sb.append("  [").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                    .append(String.format("%3d%%", 100 * s / total)).append("  ").append(step).append('/').append(total);
        } else if (step > 0) {
            sb.append("  step ").append(step);
        }
        Double tokens = tokensPerSecond(metrics);
        if (tokens != null) {
            sb.append("  ").append(compact(tokens)).append(" tok/s");
        }
        double elapsed = (now - firstStepMillis) / 1000.0;
        long done = step - firstStep;
        if (done > 0 && elapsed > 0) {
            double rate = done / elapsed;
            if (tokens == null) {
                sb.append("  ").append(rate >= 1 ? compact(rate) + " steps/s" : String.format("%.1f s/step", 1 / rate));
            }
            if (total > 0 && step < total) {
                sb.append("  ETA ").append(duration((total - step) / rate));
            }
        }
        for (String key : new String[] {"loss", "reward", "kl"}) {
            Double v = metrics.get(key);
            if (v != null) {
                sb.append("  ").append(key).append(' ').append(String.format("%.3g", v));
            }
        }
        sb.append("  (").append(duration((now - labelStartMillis) / 1000.0)).append(')');
        return sb.toString();
    }

    static Double tokensPerSecond(Map<String, Double> metrics) {
        for (String key : new String[] {"tokens_per_s", "tokens_per_second", "tok_s"}) {
            Double v = metrics.get(key);
            if (v != null && Double.isFinite(v)) {
                return v;
            }
        }
        return null;
    }

    static String compact(double v) {
        if (v >= 10_000) {
            return String.format("%.0fk", v / 1000);
        }
        if (v >= 1000) {
            return String.format("%.1fk", v / 1000);
        }
        return v >= 10 ? String.format("%.0f", v) : String.format("%.2g", v);
    }

    /** 75 s -> "1m15s"; 42.3 s -> "42s". */
    public static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    private String pad(String line) {
        String padded = line.length() < drawnWidth ? line + " ".repeat(drawnWidth - line.length()) : line;
        drawnWidth = line.length();
        return padded;
    }
}
