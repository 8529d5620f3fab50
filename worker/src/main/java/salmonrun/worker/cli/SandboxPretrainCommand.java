package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import salmonrun.activities.salmon.ProgressListener;
import salmonrun.activities.sandbox.SandboxPreset;
import salmonrun.activities.sandbox.SandboxPretrainer;

/** `salmon sandbox pretrain`: tokenizer + base model on the sandbox corpus, written as a standard checkpoint. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Train a BPE tokenizer and a base model on the sandbox corpus; write a checkpoint directory.")
public final class SandboxPretrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", defaultValue = "tiny", description = "ci (seconds), tiny (<= 10 min), small (<= 60 min)")
    String preset;

    @Option(names = "--out", required = true, description = "checkpoint directory to create (must not hold a checkpoint)")
    Path out;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--train-seconds", description = "fit the step count (at most the preset's) to this training budget in seconds")
    Integer trainSeconds;

    @Option(names = "--steps", description = "train exactly this many steps instead of fitting steps to the time budget "
            + "(the model then depends only on the seed, not on the machine's load)")
    Long steps;

    @Option(names = "--json", description = "print the run's figures as JSON")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            SandboxCommand.engineThreads();
            SandboxPreset p = SandboxPreset.named(preset);
            if (trainSeconds != null) {
                if (trainSeconds < 1) {
                    throw new IllegalArgumentException("--train-seconds must be >= 1");
                }
                p = p.withTrainSeconds(trainSeconds);
            }
            if (steps != null) {
                if (trainSeconds != null) {
                    throw new IllegalArgumentException("--steps and --train-seconds exclude each other");
                }
                p = p.withSteps(steps);
            }
            SandboxPretrainer.Result r = SandboxPretrainer.pretrain(p, out, seed, ProgressListener.NONE, line -> {
                err.println(line);
                err.flush();
            });
            if (json) {
                CliContext.printJson(spec.commandLine().getOut(), r);
            } else {
                spec.commandLine().getOut().printf("%s: %d parameters, %d steps, held-out loss %.3f -> %.3f, %s%n",
                        r.preset(), r.parameters(), r.steps(), r.heldOutLossBefore(), r.heldOutLossAfter(), r.out());
                spec.commandLine().getOut().flush();
            }
            return CliContext.OK;
        } catch (Exception e) {
            return CliContext.fail(err, e);
        }
    }
}
