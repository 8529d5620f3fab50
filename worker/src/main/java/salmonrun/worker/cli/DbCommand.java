package salmonrun.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `salmon db`: operator commands for the lineage database. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Lineage database: apply migrations, show schema history, verify the audit chain.",
        subcommands = {DbMigrateCommand.class, DbInfoCommand.class, DbVerifyAuditCommand.class})
public final class DbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        new CommandLine(spec).usage(spec.commandLine().getOut());
    }
}
