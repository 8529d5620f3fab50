package salmonrun.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `salmon bench ...`: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
        subcommands = {BenchOrchestrationCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
