package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ExecutionDetail;
import salmonrun.activities.lineage.LineageEdge;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.lineage.Run;

/** `salmon lineage ARTIFACT`: what an artifact came from (up) and what used it (down). */
@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = "Walk an artifact's lineage up (what it came from) and down (what used it).")
public final class LineageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ARTIFACT", description = "Artifact id, or a sha256 prefix (at least 4 hex characters).")
    String artifactRef;

    @Option(names = "--json", description = "Print the lineage as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return CliContext.run(spec, ctx -> {
            LineageRepository repo = ctx.lineage();
            Artifact root = resolve(repo, artifactRef);
            List<Artifact> up = repo.ancestors(root.id());
            List<Artifact> down = repo.descendants(root.id());
            Map<Long, Artifact> byId = new HashMap<>();
            byId.put(root.id(), root);
            up.forEach(a -> byId.put(a.id(), a));
            down.forEach(a -> byId.put(a.id(), a));
            List<Long> upClosure = ids(root, up);
            List<Long> downClosure = ids(root, down);
            List<LineageEdge> upEdges = repo.edgesFrom(upClosure);
            List<LineageEdge> downEdges = repo.edgesInto(downClosure);
            Producers producers = new Producers(repo);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("artifact", describe(root, producers));
                doc.put("ancestors", up.stream().map(a -> describe(a, producers)).toList());
                doc.put("ancestorEdges", upEdges);
                doc.put("descendants", down.stream().map(a -> describe(a, producers)).toList());
                doc.put("descendantEdges", downEdges);
                CliContext.printJson(out, doc);
                return CliContext.OK;
            }
            out.println(line(root, producers));
            out.println();
            out.println("up: what it came from (" + up.size() + " artifact(s))");
            printTree(out, root.id(), byId, groupBy(upEdges, LineageEdge::artifactId), true, producers);
            out.println();
            out.println("down: what used it (" + down.size() + " artifact(s))");
            printTree(out, root.id(), byId, groupBy(downEdges, LineageEdge::inputArtifactId), false, producers);
            return CliContext.OK;
        });
    }

    /** An artifact by numeric id, or by a unique sha256 prefix. */
    static Artifact resolve(LineageRepository repo, String ref) {
        if (ref.matches("\\d{1,18}")) {
            return repo.artifact(Long.parseLong(ref));
        }
        List<Artifact> matches = repo.artifactsByHashPrefix(ref.toLowerCase(java.util.Locale.ROOT));
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no artifact whose sha256 starts with " + ref);
        }
        if (matches.size() > 1 && matches.stream().map(Artifact::sha256).distinct().count() > 1) {
            throw new IllegalArgumentException("sha256 prefix " + ref + " is ambiguous: " + matches.size()
                    + " artifacts match; give more characters or an artifact id");
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("sha256 " + ref + " is registered as " + matches.size()
                    + " artifacts (ids " + matches.stream().map(a -> String.valueOf(a.id())).toList()
                    + "); name one by id");
        }
        return matches.get(0);
    }

    private static List<Long> ids(Artifact root, List<Artifact> others) {
        List<Long> ids = new ArrayList<>();
        ids.add(root.id());
        others.forEach(a -> ids.add(a.id()));
        return ids;
    }

    private static Map<Long, List<LineageEdge>> groupBy(List<LineageEdge> edges, Function<LineageEdge, Long> key) {
        Map<Long, List<LineageEdge>> out = new HashMap<>();
        edges.forEach(e -> out.computeIfAbsent(key.apply(e), k -> new ArrayList<>()).add(e));
        return out;
    }

    /** Indented tree; an artifact reached twice is printed once and referred to afterwards. */
    private static void printTree(PrintWriter out, long rootId, Map<Long, Artifact> byId,
            Map<Long, List<LineageEdge>> children, boolean up, Producers producers) {
        if (!children.containsKey(rootId)) {
            out.println("  (nothing)");
            return;
        }
        printChildren(out, rootId, byId, children, up, producers, "  ", new HashSet<>());
    }

    private static void printChildren(PrintWriter out, long id, Map<Long, Artifact> byId,
            Map<Long, List<LineageEdge>> children, boolean up, Producers producers, String indent, Set<Long> shown) {
        for (LineageEdge e : children.getOrDefault(id, List.of())) {
            long next = up ? e.inputArtifactId() : e.artifactId();
            Artifact a = byId.get(next);
            String label = "[" + e.role() + "] " + (a == null ? "artifact " + next : line(a, producers));
            if (!shown.add(next)) {
                out.println(indent + "- " + "[" + e.role() + "] artifact " + next + " (shown above)");
                continue;
            }
            out.println(indent + "- " + label);
            printChildren(out, next, byId, children, up, producers, indent + "  ", shown);
        }
    }

    static String line(Artifact a, Producers producers) {
        StringBuilder sb = new StringBuilder();
        sb.append("artifact ").append(a.id()).append(' ').append(a.kind()).append(' ')
                .append(a.sha256(), 0, 12).append(' ').append(Sizes.human(a.bytes()));
        if (a.producedBy() != null) {
            ExecutionDetail p = producers.execution(a.producedBy());
            sb.append(" from ").append(p.execution().phase()).append(" execution ").append(a.producedBy());
            if (p.execution().workerIdentity() != null) {
                sb.append(" on ").append(p.execution().workerIdentity());
            }
            String wf = producers.workflowOf(p);
            if (wf != null) {
                sb.append(" (run ").append(wf).append(')');
            }
        } else {
            sb.append(" (registered outside any phase execution)");
        }
        return sb.toString();
    }

    static Map<String, Object> describe(Artifact a, Producers producers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("kind", a.kind());
        m.put("sha256", a.sha256());
        m.put("bytes", a.bytes());
        m.put("uri", a.uri());
        m.put("createdAt", a.createdAt());
        m.put("metadata", a.metadata());
        m.put("producedBy", a.producedBy());
        if (a.producedBy() != null) {
            ExecutionDetail p = producers.execution(a.producedBy());
            m.put("phase", p.execution().phase());
            m.put("worker", p.execution().workerIdentity());
            m.put("run", producers.workflowOf(p));
        }
        return m;
    }

    /** Caches producer executions and their runs' workflow ids while printing. */
    static final class Producers {
        private final LineageRepository repo;
        private final Map<Long, ExecutionDetail> executions = new HashMap<>();
        private final Map<Long, String> workflows = new HashMap<>();

        Producers(LineageRepository repo) {
            this.repo = repo;
        }

        ExecutionDetail execution(long id) {
            return executions.computeIfAbsent(id, repo::execution);
        }

        String workflowOf(ExecutionDetail e) {
            Long runId = e.execution().runId();
            return runId == null ? null
                    : workflows.computeIfAbsent(runId, id -> repo.run(id).map(Run::workflowId).orElse(null));
        }
    }
}
