package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.MigrationInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `salmon db info`: the Flyway migration table, including pending migrations (it does not apply them). */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show every migration with its state (Success, Pending ...); applies nothing.")
public final class DbInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the table as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return CliContext.run(spec, false, ctx -> {
            PrintWriter out = spec.commandLine().getOut();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (MigrationInfo m : ctx.db().flyway().info().all()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("version", m.getVersion() == null ? "" : m.getVersion().getVersion());
                row.put("description", m.getDescription());
                row.put("script", m.getScript());
                row.put("state", m.getState().getDisplayName());
                row.put("installedOn", m.getInstalledOn() == null ? null : m.getInstalledOn().toInstant());
                rows.add(row);
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("database", ctx.db().config().url());
                doc.put("migrations", rows);
                CliContext.printJson(out, doc);
                return CliContext.OK;
            }
            out.println("database: " + ctx.db().config().url());
            out.printf("%-8s %-28s %-10s %s%n", "VERSION", "DESCRIPTION", "STATE", "INSTALLED ON");
            for (Map<String, Object> row : rows) {
                out.printf("%-8s %-28s %-10s %s%n", row.get("version"), row.get("description"), row.get("state"),
                        row.get("installedOn") == null ? "-" : row.get("installedOn"));
            }
            return CliContext.OK;
        });
    }
}
