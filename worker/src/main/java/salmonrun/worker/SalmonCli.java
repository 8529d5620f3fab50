package salmonrun.worker;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `salmon` executable: one entry point for every operator command. */
@Command(name = "salmon", mixinStandardHelpOptions = true, version = "salmon 0.1.0",
        description = "Salmon Run: SALMON alignment as a durable Temporal job graph.",
        subcommands = {
                CommandLine.HelpCommand.class,
                salmonrun.worker.cli.DbCommand.class,
                salmonrun.worker.cli.PrinciplesCommand.class,
                salmonrun.worker.cli.LineageCommand.class,
                salmonrun.worker.cli.AuditCommand.class,
                salmonrun.worker.cli.ServerCommand.class,
                salmonrun.worker.cli.WorkerCommand.class,
                salmonrun.worker.cli.RunCommand.class,
                salmonrun.worker.cli.StatusCommand.class,
                salmonrun.worker.cli.ModelCommand.class,
                salmonrun.worker.cli.BenchCommand.class,
                salmonrun.worker.cli.Phases1MeasureCommand.class,
                salmonrun.worker.cli.Phases2Command.class,
                salmonrun.worker.cli.SandboxCommand.class,
                salmonrun.worker.cli.DemoCommand.class,
        })
public final class SalmonCli implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SalmonCli()).execute(args));
    }
}
