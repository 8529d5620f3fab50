package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import salmonrun.activities.lineage.AuditEvent;
import salmonrun.activities.lineage.ChainCheck;

/** `salmon db verify-audit`: recomputes the audit hash chain; exit 1 and the first bad row if it is broken. */
@Command(name = "verify-audit", mixinStandardHelpOptions = true,
        description = "Recompute the audit log's hash chain. Exit 0 if intact, 1 (printing the first bad row) if not.")
public final class DbVerifyAuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return CliContext.run(spec, ctx -> {
            PrintWriter out = spec.commandLine().getOut();
            ChainCheck check = ctx.audit().verify();
            AuditEvent bad = check.ok() ? null : ctx.audit().event(check.firstBadId()).orElse(null);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("check", check);
                m.put("firstBadRow", bad);
                CliContext.printJson(out, m);
            } else if (check.ok()) {
                out.printf("audit chain intact: %d event(s) verified; head hash %s%n", check.eventsChecked(),
                        check.headHash());
            } else {
                out.printf("audit chain BROKEN at event %d (after %d event(s) checked): %s%n",
                        check.firstBadId(), check.eventsChecked(), check.problem());
                if (bad != null) {
                    out.println("first bad row: " + AuditText.describe(bad));
                }
            }
            return check.ok() ? CliContext.OK : CliContext.FAILED;
        });
    }
}
