package salmonrun.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code salmon bench ...}: benchmarks that print figures (never part of the tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
        subcommands = {BenchModelCommand.class, BenchOrchestrationCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
