package salmonrun.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code salmon model ...}: inspect a checkpoint directory (score text, sample from it). */
@Command(name = "model", description = "Inspect a model checkpoint directory.",
        subcommands = {ModelLogprobsCommand.class, ModelGenerateCommand.class, CommandLine.HelpCommand.class})
public final class ModelCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
