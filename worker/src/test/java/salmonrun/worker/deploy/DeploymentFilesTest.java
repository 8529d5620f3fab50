package salmonrun.worker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import salmonrun.worker.SalmonCli;

/**
 * What can be checked of deploy/ without a container engine: every YAML parses, every compose variable
 * is defined or defaulted, every image is pinned, Prometheus scrapes services that exist on the port
 * workers serve, Grafana's provisioning and dashboard fit together, the image's entrypoint runs
 * `salmon worker`, and the Kubernetes model pool asks for GPUs on GPU nodes.
 */
class DeploymentFilesTest {

    static Path deploy;
    static JsonNode compose;
    static Map<String, String> envExample;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void load() throws IOException {
        deploy = DeployFiles.root().resolve("deploy");
        compose = loadYaml(deploy.resolve("compose.yaml")).get(0);
        envExample = readEnvFile(deploy.resolve(".env.example"));
    }

    // ---------------------------------------------------------------- YAML, variables, images

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> yamls;
        try (Stream<Path> files = Files.walk(deploy)) {
            yamls = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList();
        }
        assertTrue(yamls.size() >= 10, "expected compose, prometheus, grafana and k8s YAML, found " + yamls);
        YAMLMapper jackson = new YAMLMapper();
        for (Path yaml : yamls) {
            try (var parser = new YAMLFactory().createParser(yaml.toFile())) {
                var docs = jackson.readValues(parser, JsonNode.class).readAll();
                assertFalse(docs.isEmpty(), yaml + " is empty");
            } catch (IOException e) {
                fail(yaml + " does not parse: " + e.getMessage());
            }
            loadYaml(yaml); // and through SnakeYAML, which also resolves anchors and merge keys
        }
    }

    @Test
    void everyComposeVariableIsDefinedInEnvExampleOrDefaulted() throws IOException {
        String text = Files.readString(deploy.resolve("compose.yaml"));
        Set<String> undefined = new TreeSet<>();
        Set<String> used = new HashSet<>();
        for (VariableUse use : variableUses(text)) {
            used.add(use.name());
            boolean hasDefault = use.operator() != null && use.operator().endsWith("-");
            if (!hasDefault && !envExample.containsKey(use.name())) {
                undefined.add(use.name());
            }
            if (hasDefault && envExample.containsKey(use.name())) {
                assertEquals(envExample.get(use.name()), use.argument(),
                        "default of ${" + use.name() + "} in compose.yaml differs from .env.example");
            }
        }
        assertTrue(undefined.isEmpty(), "compose.yaml uses variables neither defaulted nor in .env.example: "
                + undefined);
        Set<String> unused = new TreeSet<>(envExample.keySet());
        unused.removeAll(used);
        assertTrue(unused.isEmpty(), ".env.example defines variables compose.yaml never uses: " + unused);
    }

    @Test
    void everyComposeImageIsPinned() {
        List<String> images = new ArrayList<>();
        compose.get("services").fields().forEachRemaining(e -> {
            JsonNode image = e.getValue().get("image");
            assertTrue(image != null, "service " + e.getKey() + " has no image name (pin one, also for builds)");
            images.add(e.getKey() + " -> " + interpolate(image.asText()));
        });
        for (String entry : images) {
            assertPinned(entry.substring(entry.indexOf(" -> ") + 4), "compose service " + entry);
        }
    }

    @Test
    void everyKubernetesImageIsPinned() throws IOException {
        List<JsonNode> containers = new ArrayList<>();
        for (JsonNode doc : k8sDocs()) {
            doc.path("spec").path("template").path("spec").path("containers").forEach(containers::add);
        }
        assertTrue(containers.size() >= 2);
        for (JsonNode c : containers) {
            assertPinned(c.get("image").asText(), "k8s container " + c.get("name"));
        }
    }

    @Test
    void composeReferencesOnlyServicesAndFilesThatExist() {
        Set<String> services = serviceNames();
        compose.get("services").fields().forEachRemaining(e -> {
            e.getValue().path("depends_on").fieldNames().forEachRemaining(dep ->
                    assertTrue(services.contains(dep), e.getKey() + " depends on unknown service " + dep));
            e.getValue().path("volumes").forEach(v -> {
                String source = v.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(Files.exists(deploy.resolve(source).normalize()),
                            e.getKey() + " mounts missing " + source);
                } else {
                    assertTrue(compose.path("volumes").has(source), e.getKey() + " uses undeclared volume " + source);
                }
            });
            JsonNode build = e.getValue().get("build");
            if (build != null) {
                Path context = deploy.resolve(build.get("context").asText()).normalize();
                assertTrue(Files.isRegularFile(context.resolve(build.get("dockerfile").asText())),
                        e.getKey() + " builds from a missing Dockerfile");
            }
        });
    }

    @Test
    void ourImagesAreBuiltNeverPulledAndOneTagMeansOneBuild() {
        Map<String, String> buildPerImage = new LinkedHashMap<>();
        compose.get("services").fields().forEachRemaining(e -> {
            String image = interpolate(e.getValue().get("image").asText());
            if (!image.startsWith("salmon-run-worker:")) {
                return;
            }
            JsonNode build = e.getValue().get("build");
            assertTrue(build != null, e.getKey() + " uses our image but does not build it (compose would pull it)");
            String args = interpolate(build.toString());
            String previous = buildPerImage.putIfAbsent(image, args);
            assertTrue(previous == null || previous.equals(args),
                    image + " is built two different ways: " + previous + " vs " + args);
            assertTrue(image.endsWith("-" + interpolate(build.path("args").path("PYTORCH_FLAVOR").asText())),
                    e.getKey() + ": the image tag must name the PyTorch flavor it was built with");
        });
        assertEquals(2, buildPerImage.size(), "a CPU and a CUDA worker image: " + buildPerImage.keySet());
    }

    // ---------------------------------------------------------------- workers

    @Test
    void gpuWorkerReservesAnNvidiaGpuAndServesTheModelQueue() {
        JsonNode gpu = compose.get("services").get("worker-gpu");
        JsonNode device = gpu.path("deploy").path("resources").path("reservations").path("devices").get(0);
        assertEquals("nvidia", device.get("driver").asText());
        assertTrue(device.get("capabilities").toString().contains("gpu"));
        assertEquals(List.of("--queues", "model"), commandOf(gpu).subList(0, 2));
        assertFalse(interpolate(gpu.path("build").path("args").path("PYTORCH_FLAVOR").asText()).equals("cpu"),
                "the GPU worker must be built with a CUDA flavor");
        JsonNode control = compose.get("services").get("worker-control");
        assertEquals(List.of("--queues", "control"), commandOf(control));
        assertEquals("cpu", control.path("build").path("args").path("PYTORCH_FLAVOR").asText());
    }

    @Test
    void workersShareOneArtifactStoreAndReachTemporalAndTheLineageDatabase() {
        for (String name : List.of("worker-control", "worker-gpu", "worker-model-cpu")) {
            JsonNode w = compose.get("services").get(name);
            JsonNode env = w.get("environment");
            assertEquals("temporal:7233", env.get("SALMON_TEMPORAL_ADDRESS").asText(), name);
            assertTrue(serviceNames().contains("temporal"));
            assertTrue(interpolate(env.get("SALMON_DB_URL").asText())
                    .startsWith("jdbc:postgresql://lineage-db:5432/"), name);
            assertTrue(w.get("volumes").toString().contains("salmon-store:" + env.get("SALMON_STORE").asText()),
                    name + " must mount the shared store at SALMON_STORE");
        }
    }

    @Test
    void workerQueueArgumentsAreAcceptedBySalmonWorker() throws IOException {
        CommandLine cli = new CommandLine(new SalmonCli());
        assertTrue(cli.getSubcommands().containsKey("worker"), "the image's entrypoint needs `salmon worker`");
        List<List<String>> invocations = new ArrayList<>();
        for (String name : List.of("worker-control", "worker-gpu", "worker-model-cpu")) {
            invocations.add(commandOf(compose.get("services").get(name)));
        }
        for (JsonNode doc : k8sDocs()) {
            doc.path("spec").path("template").path("spec").path("containers").forEach(c -> {
                List<String> args = new ArrayList<>();
                c.path("args").forEach(a -> args.add(a.asText()));
                invocations.add(args);
            });
        }
        for (List<String> args : invocations) {
            List<String> full = new ArrayList<>(List.of("worker"));
            full.addAll(args);
            new CommandLine(new SalmonCli()).parseArgs(full.toArray(String[]::new)); // throws on unknown flags
        }
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileEntrypointRunsSalmonWorker() throws Exception {
        List<String> instructions = dockerInstructions();
        String entrypoint = lastOf(instructions, "ENTRYPOINT");
        JsonNode argv = JSON.readTree(entrypoint);
        assertTrue(argv.isArray(), "ENTRYPOINT must be exec form (signals reach the JVM): " + entrypoint);
        String launcher = argv.get(0).asText();
        assertEquals("worker", argv.get(1).asText(), "ENTRYPOINT must run `salmon worker`: " + entrypoint);

        // The launcher at that path is our script, and it runs the salmon CLI's main class.
        String copy = instructions.stream().filter(i -> i.startsWith("COPY ") && i.endsWith(" " + launcher))
                .findFirst().orElseThrow(() -> new AssertionError("nothing is copied to " + launcher));
        Path script = DeployFiles.root().resolve(copy.split("\\s+")[1]);
        String scriptText = Files.readString(script);
        Matcher main = Pattern.compile("\\b(salmonrun\\.worker\\.[A-Za-z]+)\\b\\s+\"\\$@\"").matcher(scriptText);
        assertTrue(main.find(), script + " must exec the CLI's main class with the arguments");
        assertEquals(SalmonCli.class.getName(), main.group(1));
        assertTrue(Class.forName(main.group(1)).getMethod("main", String[].class) != null);
        assertEquals("salmon", new CommandLine(new SalmonCli()).getCommandName());
        assertTrue(Files.isExecutable(script), script + " must be executable");
        Process sh = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
        assertEquals(0, sh.waitFor(), script + " has a shell syntax error: " + new String(sh.getInputStream().readAllBytes()));
    }

    @Test
    void dockerImageStaysOfflineAndMatchesThePinnedPyTorch() throws IOException {
        List<String> instructions = dockerInstructions();
        String env = String.join("\n", instructions.stream().filter(i -> i.startsWith("ENV ")).toList());
        assertTrue(env.contains("DJL_OFFLINE=true"), "the image must keep DJL offline");
        assertTrue(env.contains("OPT_OUT_TRACKING=true"));
        assertTrue(env.contains("PYTORCH_LIBRARY_PATH=/opt/pytorch"), "the native library is baked in");
        String pom = Files.readString(DeployFiles.root().resolve("pom.xml"));
        Matcher pinned = Pattern.compile("<pytorch.version>([^<]+)</pytorch.version>").matcher(pom);
        assertTrue(pinned.find());
        assertEquals(pinned.group(1), dockerArgs(instructions).get("PYTORCH_VERSION"),
                "Dockerfile's PYTORCH_VERSION must match pom.xml");
        Map<String, String> args = dockerArgs(instructions);
        for (String from : instructions.stream().filter(i -> i.startsWith("FROM ")).toList()) {
            String image = from.split("\\s+")[1];
            for (var a : args.entrySet()) {
                image = image.replace("${" + a.getKey() + "}", a.getValue());
            }
            assertPinned(image, "Dockerfile " + from);
        }
        for (String copy : instructions.stream().filter(i -> i.startsWith("COPY ") && !i.contains("--from")).toList()) {
            String source = copy.split("\\s+")[1];
            if (!source.equals(".")) {
                assertTrue(Files.exists(DeployFiles.root().resolve(source)), "COPY of missing " + source);
            }
        }
    }

    @Test
    void setupScriptsAreValidShell() throws Exception {
        try (Stream<Path> files = Files.list(deploy.resolve("temporal"))) {
            for (Path script : files.filter(p -> p.toString().endsWith(".sh")).toList()) {
                Process sh = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
                String out = new String(sh.getInputStream().readAllBytes());
                assertEquals(0, sh.waitFor(), script + ": " + out);
            }
        }
    }

    // ---------------------------------------------------------------- Prometheus and Grafana

    @Test
    void prometheusScrapesServicesThatExistOnTheirMetricsPorts() throws IOException {
        JsonNode prom = loadYaml(deploy.resolve("prometheus/prometheus.yml")).get(0);
        Set<String> services = serviceNames();
        Set<String> scrapedWorkers = new TreeSet<>();
        for (JsonNode job : prom.get("scrape_configs")) {
            for (JsonNode sd : job.path("dns_sd_configs")) {
                for (JsonNode name : sd.get("names")) {
                    assertTrue(services.contains(name.asText()), job.get("job_name") + " scrapes unknown " + name);
                    JsonNode env = compose.get("services").get(name.asText()).path("environment");
                    assertEquals(interpolate(env.path("SALMON_METRICS_PORT").asText()), sd.get("port").asText(),
                            name + " serves metrics on another port than Prometheus scrapes");
                    scrapedWorkers.add(name.asText());
                }
            }
            for (JsonNode sc : job.path("static_configs")) {
                for (JsonNode target : sc.get("targets")) {
                    String host = target.asText().split(":")[0];
                    assertTrue(services.contains(host), job.get("job_name") + " scrapes unknown service " + host);
                }
            }
        }
        Set<String> workers = new TreeSet<>();
        services.stream().filter(s -> s.startsWith("worker-")).forEach(workers::add);
        assertEquals(workers, scrapedWorkers, "every worker service must be scraped");

        // Every rule file Prometheus loads is mounted from a file in deploy/.
        JsonNode mounts = compose.get("services").get("prometheus").get("volumes");
        assertTrue(prom.path("rule_files").size() >= 1, "alerts are loaded");
        for (JsonNode rule : prom.path("rule_files")) {
            String source = null;
            for (JsonNode m : mounts) {
                String[] parts = m.asText().split(":");
                if (parts.length >= 2 && parts[1].equals(rule.asText())) {
                    source = parts[0];
                }
            }
            assertTrue(source != null, "rule file " + rule + " is not mounted into the prometheus service");
            assertTrue(Files.isRegularFile(deploy.resolve(source)), "missing rule file " + source);
            for (JsonNode group : loadYaml(deploy.resolve(source)).get(0).get("groups")) {
                for (JsonNode r : group.get("rules")) {
                    assertTrue(r.hasNonNull("alert") && r.hasNonNull("expr"), source + ": rule without alert/expr: " + r);
                }
            }
        }
    }

    @Test
    void grafanaProvisioningPointsAtPrometheusAndLoadsTheDashboard() throws IOException {
        JsonNode ds = loadYaml(deploy.resolve("grafana/provisioning/datasources/prometheus.yaml")).get(0)
                .get("datasources").get(0);
        String url = ds.get("url").asText();
        assertTrue(url.startsWith("http://prometheus:9090"), url);
        assertTrue(serviceNames().contains("prometheus"));

        JsonNode dashboard = JSON.readTree(deploy.resolve("grafana/dashboards/salmon-run.json").toFile());
        Set<String> uids = new TreeSet<>();
        dashboard.findValues("datasource").forEach(d -> uids.add(d.path("uid").asText()));
        assertEquals(Set.of(ds.get("uid").asText()), uids, "every panel must use the provisioned datasource");
        Set<Integer> ids = new HashSet<>();
        dashboard.get("panels").forEach(p -> assertTrue(ids.add(p.get("id").asInt()), "duplicate panel id " + p));

        // The provider's path is where compose mounts deploy/grafana/dashboards.
        String providerPath = loadYaml(deploy.resolve("grafana/provisioning/dashboards/salmon-run.yaml")).get(0)
                .get("providers").get(0).path("options").path("path").asText();
        assertTrue(compose.get("services").get("grafana").get("volumes").toString()
                .contains("./grafana/dashboards:" + providerPath));
        // Which metric names the dashboard may query is checked against a live scrape in MetricsEndpointTest.
    }

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void modelPoolRunsOnGpuNodesWithGpuResources() throws IOException {
        JsonNode model = deployment("salmon-model-workers");
        JsonNode pod = model.path("spec").path("template").path("spec");
        assertTrue(pod.path("nodeSelector").fieldNames().hasNext(), "model pool needs a GPU node selector");
        pod.path("nodeSelector").fieldNames().forEachRemaining(k -> assertTrue(k.startsWith("nvidia.com/"), k));
        JsonNode container = pod.get("containers").get(0);
        assertTrue(container.path("resources").path("limits").path("nvidia.com/gpu").asInt() >= 1);
        assertTrue(container.get("image").asText().endsWith("-cu128"), "model pool runs the CUDA image");
        assertEquals(List.of("--queues", "model"), textList(container.get("args")).subList(0, 2));

        JsonNode control = deployment("salmon-control-workers");
        JsonNode controlContainer = control.path("spec").path("template").path("spec").get("containers").get(0);
        assertTrue(controlContainer.path("resources").path("limits").path("nvidia.com/gpu").isMissingNode(),
                "the control pool must not hold GPUs");
        assertEquals(List.of("--queues", "control"), textList(controlContainer.get("args")));
    }

    @Test
    void kubernetesConfigAndServiceFitTheDeployments() throws IOException {
        Map<String, JsonNode> byKindName = new LinkedHashMap<>();
        for (JsonNode doc : k8sDocs()) {
            byKindName.put(doc.get("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
        }
        JsonNode service = byKindName.get("Service/salmon-worker-metrics");
        assertTrue(service != null, "a Service for worker metrics");
        for (String name : List.of("salmon-control-workers", "salmon-model-workers")) {
            JsonNode d = byKindName.get("Deployment/" + name);
            JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
            service.path("spec").path("selector").fields().forEachRemaining(sel ->
                    assertEquals(sel.getValue().asText(), labels.path(sel.getKey()).asText(),
                            "metrics Service does not select " + name));
            d.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(sel ->
                    assertEquals(sel.getValue().asText(), labels.path(sel.getKey()).asText(), name + " selector"));
            JsonNode c = d.path("spec").path("template").path("spec").get("containers").get(0);
            c.path("envFrom").forEach(ref -> {
                if (ref.has("configMapRef")) {
                    assertTrue(byKindName.containsKey("ConfigMap/" + ref.get("configMapRef").get("name").asText()));
                } else {
                    assertTrue(byKindName.containsKey("Secret/" + ref.get("secretRef").get("name").asText()));
                }
            });
            assertTrue(c.get("ports").toString().contains("\"metrics\""), name + " names its metrics port");
            d.path("spec").path("template").path("spec").path("volumes").forEach(v -> {
                if (v.has("persistentVolumeClaim")) {
                    assertTrue(byKindName.containsKey("PersistentVolumeClaim/"
                            + v.get("persistentVolumeClaim").get("claimName").asText()));
                }
            });
        }
        JsonNode config = byKindName.get("ConfigMap/salmon-config").get("data");
        assertEquals("9464", config.get("SALMON_METRICS_PORT").asText());
        assertEquals("9464", service.path("spec").path("ports").get(0).path("port").asText());
        assertEquals("true", config.get("DJL_OFFLINE").asText());

        // kustomization lists every manifest except the secret example, and nothing else.
        JsonNode kustomization = loadYaml(deploy.resolve("k8s/kustomization.yaml")).get(0);
        Set<String> listed = new TreeSet<>(textList(kustomization.get("resources")));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(deploy.resolve("k8s"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml") && !n.contains("example"))
                    .forEach(present::add);
        }
        assertEquals(present, listed);
    }

    // ---------------------------------------------------------------- helpers

    record VariableUse(String name, String operator, String argument) { }

    private static final Pattern BRACED = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");
    private static final Pattern BARE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    static List<VariableUse> variableUses(String text) {
        List<VariableUse> uses = new ArrayList<>();
        String unescaped = text.lines().filter(l -> !l.stripLeading().startsWith("#"))
                .reduce("", (a, b) -> a + "\n" + b).replace("$$", "");
        Matcher m = BRACED.matcher(unescaped);
        while (m.find()) {
            uses.add(new VariableUse(m.group(1), m.group(2), m.group(3)));
        }
        Matcher bare = BARE.matcher(BRACED.matcher(unescaped).replaceAll(""));
        while (bare.find()) {
            uses.add(new VariableUse(bare.group(1), null, null));
        }
        return uses;
    }

    /** Compose-style interpolation with .env.example values, falling back to the written defaults. */
    static String interpolate(String value) {
        Matcher m = BRACED.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = envExample.get(m.group(1));
            if (v == null && m.group(2) != null && m.group(2).endsWith("-")) {
                v = m.group(3);
            }
            if (v == null) {
                throw new AssertionError("cannot resolve ${" + m.group(1) + "} in " + value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static void assertPinned(String image, String where) {
        String withoutDigest = image.split("@")[0];
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        assertTrue(image.contains("@sha256:") || colon > slash, where + ": image " + image + " has no tag");
        String tag = colon > slash ? withoutDigest.substring(colon + 1) : "";
        assertFalse(tag.equals("latest") || tag.isBlank(), where + ": image " + image + " is not pinned");
        assertFalse(tag.matches("\\d+"), where + ": image " + image + " pins only a major version");
    }

    static Map<String, String> readEnvFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                fail(file + ":" + lineNo + " is not NAME=value: " + line);
            }
            env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return env;
    }

    static List<JsonNode> loadYaml(Path file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<JsonNode> docs = new ArrayList<>();
        try (var reader = Files.newBufferedReader(file)) {
            for (Object doc : yaml.loadAll(reader)) {
                if (doc != null) {
                    docs.add(JSON.valueToTree(doc));
                }
            }
        } catch (RuntimeException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
        }
        return docs;
    }

    static List<JsonNode> k8sDocs() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(deploy.resolve("k8s"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : loadYaml(p)) {
                    if (doc.has("kind") && !doc.get("kind").asText().equals("Kustomization")) {
                        docs.add(doc);
                    }
                }
            }
        }
        return docs;
    }

    static JsonNode deployment(String name) throws IOException {
        return k8sDocs().stream().filter(d -> d.get("kind").asText().equals("Deployment")
                        && d.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment " + name));
    }

    static Set<String> serviceNames() {
        Set<String> names = new TreeSet<>();
        compose.get("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> commandOf(JsonNode service) {
        List<String> args = new ArrayList<>();
        service.get("command").forEach(a -> args.add(interpolate(a.asText())));
        return args;
    }

    static List<String> textList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Dockerfile instructions with continuation lines joined and comments dropped. */
    static List<String> dockerInstructions() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(deploy.resolve("Dockerfile"))) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            out.add(current.toString().strip());
            current.setLength(0);
        }
        return out;
    }

    static Map<String, String> dockerArgs(List<String> instructions) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String i : instructions) {
            if (i.startsWith("ARG ") && i.contains("=")) {
                String kv = i.substring(4).strip();
                args.putIfAbsent(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return args;
    }

    static String lastOf(List<String> instructions, String keyword) {
        String found = null;
        for (String i : instructions) {
            if (i.startsWith(keyword + " ")) {
                found = i.substring(keyword.length() + 1).strip();
            }
        }
        if (found == null) {
            throw new AssertionError("Dockerfile has no " + keyword);
        }
        return found;
    }
}
