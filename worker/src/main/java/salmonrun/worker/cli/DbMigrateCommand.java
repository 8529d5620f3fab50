package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `salmon db migrate`: creates the database if missing and applies pending migrations. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Create the lineage database if missing and apply pending migrations (idempotent).")
public final class DbMigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return CliContext.run(spec, false, ctx -> {
            MigrateResult result = ctx.db().migrate();
            PrintWriter out = spec.commandLine().getOut();
            String version = ctx.db().flyway().info().current() == null ? "(empty)"
                    : ctx.db().flyway().info().current().getVersion().getVersion();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("database", ctx.db().config().url());
                m.put("migrationsApplied", result.migrationsExecuted);
                m.put("schemaVersion", version);
                CliContext.printJson(out, m);
            } else {
                out.printf("%s: applied %d migration(s); schema at version %s%n", ctx.db().config().url(),
                        result.migrationsExecuted, version);
            }
            return CliContext.OK;
        });
    }
}
