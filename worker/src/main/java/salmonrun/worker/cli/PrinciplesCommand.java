package salmonrun.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `salmon principles ...`: import, validate, list, show and diff versioned principle and exemplar sets. */
@Command(name = "principles", mixinStandardHelpOptions = true,
        description = {"Import, validate, list, show and diff principle sets and exemplar sets.",
            "Exit codes: 0 ok, 1 bad input or unknown set, 2 database unreachable."},
        subcommands = {ImportPrinciplesCommand.class, ValidatePrinciplesCommand.class, ListPrinciplesCommand.class,
            ShowPrinciplesCommand.class, DiffPrinciplesCommand.class})
public final class PrinciplesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
