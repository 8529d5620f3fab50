package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import salmonrun.activities.lineage.Run;
import salmonrun.activities.lineage.RunAuditReport;
import salmonrun.activities.lineage.RunAuditor;
import salmonrun.activities.principles.PrincipleRepository;

/**
 * `salmon audit RUN`: a run's lineage: spec, principle/exemplar set versions, every artifact with
 * hash, producer, inputs and worker, audit events, and the audit chain check; as text, JSON or a
 * self-contained HTML report. Exit 1 if the audit chain is broken.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Show a run's lineage and audit trail (text, --json, or --html FILE). Exit 1 if the audit chain is broken.")
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "The run's workflow id, or its numeric id.")
    String runRef;

    @Option(names = "--json", description = "Print the audit as JSON.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report to FILE.")
    Path html;

    @Option(names = "--openlineage", paramLabel = "FILE|URL",
            description = "Also export the run as OpenLineage events: appended to FILE (one JSON event per line) or "
                    + "POSTed to an OpenLineage endpoint (http(s)://host:port, path api/v1/lineage). Dataset and job "
                    + "namespace: SALMON_OPENLINEAGE_NAMESPACE (default salmon).")
    String openLineage;

    @Override
    public Integer call() {
        return CliContext.run(spec, ctx -> {
            RunAuditor auditor = new RunAuditor(ctx.db(), ctx.lineage(), ctx.audit());
            Run run = auditor.findRun(runRef);
            RunAuditReport report = auditor.audit(run);
            List<PrincipleChanges.SetDiff> diffs = PrincipleChanges.of(report, new PrincipleRepository(ctx.db()));
            PrintWriter out = spec.commandLine().getOut();
            if (html != null) {
                writeAtomically(html, AuditHtml.render(report, diffs));
                // status lines go to stderr so that --json output on stdout stays one JSON document
                spec.commandLine().getErr().println("wrote " + html.toAbsolutePath() + " (audit of run "
                        + run.workflowId() + ")");
            }
            if (openLineage != null) {
                String namespace = CliContext.environment().getOrDefault("SALMON_OPENLINEAGE_NAMESPACE", "salmon");
                int n = OpenLineageExport.emit(OpenLineageExport.events(report, namespace), openLineage);
                spec.commandLine().getErr().println("exported " + n + " OpenLineage event(s) to " + openLineage);
            }
            if (json) {
                ObjectNode doc = CliContext.JSON.valueToTree(report);
                doc.set("principleDiffs", CliContext.JSON.valueToTree(diffs));
                CliContext.printJson(out, doc);
            } else if (html == null && openLineage == null) {
                AuditTextReport.print(out, report, diffs);
            }
            if (!report.chain().ok()) {
                spec.commandLine().getErr().println("salmon: the audit chain is broken at event "
                        + report.chain().firstBadId() + ": " + report.chain().problem());
                return CliContext.FAILED;
            }
            return CliContext.OK;
        });
    }

    /** Writes next to the target, then renames, so a reader never sees half a report. */
    static void writeAtomically(Path target, String content) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".part");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + abs + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temp file is hidden and harmless
                }
            }
        }
    }
}
