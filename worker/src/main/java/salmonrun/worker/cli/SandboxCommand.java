package salmonrun.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `salmon sandbox`: the synthetic assistant world: corpus, base-model pretraining, graded evaluation. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Sandbox world: generate the corpus, pretrain a tiny base model, evaluate it with the ground-truth grader.",
        subcommands = {SandboxCorpusCommand.class, SandboxPretrainCommand.class, SandboxEvalCommand.class})
public final class SandboxCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        new CommandLine(spec).usage(spec.commandLine().getOut());
    }

    /** One inter-op thread: with two cores and other work around, a second scheduler thread only contends. */
    static void engineThreads() {
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
