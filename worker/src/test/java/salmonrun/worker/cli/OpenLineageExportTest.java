package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactStore;

/** `salmon audit RUN --openlineage FILE|URL` through the real OpenLineage client, to a file and to a local HTTP endpoint. */
class OpenLineageExportTest {
    @TempDir
    static Path tmp;

    @RegisterExtension
    static final CliDatabase CLI = new CliDatabase();
    private static RunFixture f;

    @BeforeAll
    static void setUp() throws Exception {
        ArtifactStore store = new ArtifactStore(CLI.store());
        f = new RunFixture(CLI.db(), store, tmp.resolve("scratch"));
    }

    @BeforeEach
    void useCli() {
        CLI.useEnvironment(Map.of("SALMON_OPENLINEAGE_NAMESPACE", "salmon-test"));
    }

    @Test
    void exportsRunAndPhaseEventsToAFile() throws Exception {
        Path file = tmp.resolve("openlineage.jsonl");
        CliRunner.Result r = CliRunner.run("audit", f.workflowId, "--openlineage", file.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("exported 10 OpenLineage event(s)"), r.toString());
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            events.add(CliContext.JSON.readTree(line));
        }
        assertEquals(10, events.size(), "run START/COMPLETE + START/COMPLETE for 4 executions");
        checkEvents(events);

        // exporting again appends the same events with the same run ids (name-based UUIDs)
        assertEquals(0, CliRunner.run("audit", f.workflowId, "--openlineage", file.toString()).exitCode());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(20, lines.size());
        assertEquals(CliContext.JSON.readTree(lines.get(0)).at("/run/runId"),
                CliContext.JSON.readTree(lines.get(10)).at("/run/runId"));
    }

    @Test
    void postsEventsToAnOpenLineageEndpointAndReportsItsFailure() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        List<String> paths = Collections.synchronizedList(new ArrayList<>());
        int[] status = {200};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            CliRunner.Result r = CliRunner.run("audit", f.workflowId, "--openlineage", url);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(10, bodies.size());
            assertEquals(Set.of("POST /api/v1/lineage"), new TreeSet<>(paths));
            List<JsonNode> events = new ArrayList<>();
            for (String b : bodies) {
                events.add(CliContext.JSON.readTree(b));
            }
            checkEvents(events);

            status[0] = 500;
            CliRunner.Result failed = CliRunner.run("audit", f.workflowId, "--openlineage", url);
            assertEquals(1, failed.exitCode(), failed.toString());
            assertTrue(failed.err().contains("OpenLineage export to " + url + " failed"), failed.toString());
        } finally {
            server.stop(0);
        }
    }

    private static void checkEvents(List<JsonNode> events) {
        JsonNode runStart = events.get(0);
        assertEquals("START", runStart.get("eventType").asText());
        assertEquals("salmon-run", runStart.at("/job/name").asText());
        assertEquals("salmon-test", runStart.at("/job/namespace").asText());
        assertTrue(runStart.get("schemaURL").asText().contains("openlineage.io"), runStart.toString());
        String runId = runStart.at("/run/runId").asText();
        assertEquals("COMPLETE", events.get(events.size() - 1).get("eventType").asText());

        JsonNode ppoDone = events.stream().filter(e -> "ppo".equals(e.at("/job/name").asText())
                && "COMPLETE".equals(e.get("eventType").asText())).findFirst().orElseThrow();
        assertEquals(runId, ppoDone.at("/run/facets/parent/run/runId").asText(), "phase runs point at their run");
        assertEquals(Set.of(name(f.sft), name(f.prefs)), names(ppoDone.get("inputs")));
        assertEquals(Set.of(name(f.ppo)), names(ppoDone.get("outputs")));
        assertEquals(f.ppo.sha256(), ppoDone.at("/outputs/0/facets/version/datasetVersion").asText());

        JsonNode evalDone = events.stream().filter(e -> "eval".equals(e.at("/job/name").asText())
                && "COMPLETE".equals(e.get("eventType").asText())).findFirst().orElseThrow();
        assertEquals(Set.of(name(f.base), name(f.sft), name(f.ppo)), names(evalDone.get("inputs")),
                "the reused base model from the earlier run is an input too");
    }

    private static String name(Artifact a) {
        return a.kind() + "/" + a.sha256();
    }

    private static Set<String> names(JsonNode datasets) {
        Set<String> out = new TreeSet<>();
        datasets.forEach(d -> {
            assertEquals("salmon-test", d.get("namespace").asText());
            out.add(d.get("name").asText());
        });
        return out;
    }
}
