package salmonrun.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code salmon bench ...}: benchmarks that print figures (never part of the tests). */
@Command(name = "bench", description = "Benchmarks on this machine.",
        subcommands = {BenchModelCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
