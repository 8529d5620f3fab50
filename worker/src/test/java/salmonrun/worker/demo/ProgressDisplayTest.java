package salmonrun.worker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress bars: fill, tokens/s, ETA from the measured step rate, and quiet line output off a terminal. */
class ProgressDisplayTest {

    @Test
    void barShowsFillRateAndEtaFromTheMeasuredSteps() {
        AtomicLong now = new AtomicLong(1_000_000);
        StringWriter text = new StringWriter();
        ProgressDisplay d = new ProgressDisplay(new PrintWriter(text), false, 10_000, now::get);
        d.update("self_align: engrave / train", 0, 100, Map.of());
        now.addAndGet(20_000); // 25 steps in 20 s: 1.25 steps/s, 75 to go: 60 s
        String line = d.render("self_align: engrave / train", 25, 100, Map.of("tokens_per_s", 1834.0, "loss", 2.3456),
                now.get());
        assertTrue(line.startsWith("self_align: engrave / train  [######------------------]  25%  25/100"), line);
        assertTrue(line.contains("1.8k tok/s"), line);
        assertTrue(line.contains("ETA 1m00s"), line);
        assertTrue(line.contains("loss 2.35"), line);
        assertTrue(line.endsWith("(20s)"), line);
    }

    @Test
    void withoutTokensTheStepRateIsShown() {
        AtomicLong now = new AtomicLong(0);
        ProgressDisplay d = new ProgressDisplay(new PrintWriter(new StringWriter()), false, 10_000, now::get);
        d.update("preferences: judge", 0, 4, Map.of());
        now.set(30_000);
        String line = d.render("preferences: judge", 1, 4, Map.of(), now.get());
        assertTrue(line.contains("30.0 s/step") && line.contains("ETA 1m30s"), line);
    }

    @Test
    void offATerminalALineIsPrintedPerLabelAndAtMostEveryQuietPeriod() {
        AtomicLong now = new AtomicLong(0);
        StringWriter text = new StringWriter();
        ProgressDisplay d = new ProgressDisplay(new PrintWriter(text), false, 10_000, now::get);
        for (int step = 0; step < 20; step++) {
            now.addAndGet(1000);
            d.update("ppo: iterate", step, 20, Map.of());
        }
        d.update("eval: evaluate", 0, 3, Map.of());
        d.done("eval: done");
        String[] lines = text.toString().strip().split("\\R");
        // first ppo line, one after 10 s, one after 20 s is not reached (19 s), eval's first line, done line
        assertEquals(4, lines.length, text.toString());
        assertTrue(lines[0].startsWith("ppo: iterate") && lines[2].startsWith("eval: evaluate"), text.toString());
        assertEquals("eval: done", lines[3]);
    }

    @Test
    void durationsAreCompact() {
        assertEquals("42s", ProgressDisplay.duration(42.3));
        assertEquals("1m15s", ProgressDisplay.duration(75));
        assertEquals("1h02m", ProgressDisplay.duration(3720));
    }
}
