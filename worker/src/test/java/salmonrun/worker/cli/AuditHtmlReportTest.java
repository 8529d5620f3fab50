package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.ArtifactStore;

/** `salmon audit RUN --html FILE`: a self-contained report, checked by rendering it in headless Chromium. */
class AuditHtmlReportTest {
    @TempDir
    static Path tmp;

    @RegisterExtension
    static final CliDatabase CLI = new CliDatabase();
    private static RunFixture f;
    private static Path report;
    private static String html;

    @BeforeAll
    static void writeReport() throws Exception {
        ArtifactStore store = new ArtifactStore(CLI.store());
        f = new RunFixture(CLI.db(), store, tmp.resolve("scratch"));
        CLI.useEnvironment();
        report = tmp.resolve("reports/audit.html");
        CliRunner.Result r = CliRunner.run("audit", f.workflowId, "--html", report.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("wrote " + report), r.toString());
        html = Files.readString(report, StandardCharsets.UTF_8);
    }

    @BeforeEach
    void useCli() {
        CLI.useEnvironment();
    }

    @Test
    void reportIsSelfContainedAndEscaped() {
        assertFalse(Pattern.compile("(?i)<link|\\ssrc=|@import|url\\((?!#)").matcher(html).find(),
                "nothing may be loaded from elsewhere");
        assertFalse(Pattern.compile("href=\"(?!#)").matcher(html).find(), "no external links");
        assertTrue(html.contains("salmon-audit-&lt;test&gt;&amp;&quot;quoted&quot;"), "the run id is escaped");
        assertFalse(html.contains("<test>") || html.contains("verbosity <b>"), "no raw markup from data");
        assertEquals(8, count(html, "<g class=\"node"), "one graph node per artifact");
        assertEquals(1, count(html, "<g class=\"node external\""), "the reused base model is marked external");
        assertEquals(10, count(html, "<path class=\"edge\""), "every input edge among the shown artifacts");
        assertEquals(3, count(html, "<svg class=\"chart\""), "loss, reward and KL curves of the PPO execution");
        for (String a : new String[] {f.sft.sha256(), f.ppo.sha256(), f.eval.sha256(), f.base.sha256()}) {
            assertTrue(html.contains(a), "artifact table lists " + a);
        }
    }

    @Test
    void rendersInHeadlessChromiumWithoutErrors() throws Exception {
        Optional<HeadlessChromium> chromium = HeadlessChromium.find(Files.createDirectories(tmp.resolve("profile")));
        Assumptions.assumeTrue(chromium.isPresent(),
                "chromium is not installed (apt-get install chromium); the HTML report was not rendered");
        String dom = chromium.get().dumpDom(report);
        Matcher rendered = Pattern.compile("data-svg-rendered=\"(\\d+)/(\\d+)\"").matcher(dom);
        assertTrue(rendered.find(), "the page's self-check did not run: " + dom.substring(0, Math.min(500, dom.length())));
        assertEquals("4", rendered.group(2), "graph + 3 charts");
        assertEquals(rendered.group(2), rendered.group(1), "every SVG laid out with a non-empty box");
        Matcher errors = Pattern.compile("data-js-errors=\"([^\"]*)\"").matcher(dom);
        assertFalse(errors.find(), () -> "script error while rendering: " + errors.group(1));
        assertTrue(dom.contains("<td>0.5700</td>") && dom.contains("<th>harmless</th>"), "evaluation table in the DOM");
        assertTrue(dom.contains("<th>agreement</th>"), "per-principle preference statistics in the DOM");
        assertTrue(dom.contains("<tr><th>checkpoint #" + f.sft.id() + " from self-align</th><td>#" + f.evalSft.id()
                + "</td><td>40</td><td>0.9000</td><td>0.4800</td><td>0.7100</td></tr>"), "evaluations side by side");
        assertTrue(dom.contains("<td>re-weighted</td><td>rl</td><td>helpful</td>"), "principle diff in the DOM");

        Path png = tmp.resolve("audit.png");
        chromium.get().screenshot(report, png, 1200, 1600);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (rgb != 0xffffff) {
                    inked++;
                }
            }
        }
        double fraction = inked / (image.getWidth() * image.getHeight() / 4.0);
        assertTrue(fraction > 0.03, "the screenshot is nearly blank: " + fraction);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
