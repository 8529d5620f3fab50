package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import salmonrun.activities.sandbox.SandboxEval;
import salmonrun.activities.sandbox.SandboxEvalRunner;
import salmonrun.activities.sandbox.Split;

/** `salmon sandbox eval`: grades a checkpoint's answers on a split, without and with rules + exemplars in context. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Sample answers for a split, grade them; with --principles also with the self-alignment prompt "
                + "(and with --judge-pairs the judge check per labelling principle).")
public final class SandboxEvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "checkpoint directory")
    Path model;

    @Option(names = "--principles", description = "principle-set file, or 'default' for the shipped set")
    String principles;

    @Option(names = "--exemplars", description = "exemplar-set file, or 'default' (the default)")
    String exemplars;

    @Option(names = "--split", defaultValue = "test", description = "train, validation or test")
    String split;

    @Option(names = "--limit", defaultValue = "140", description = "instructions to sample (kinds in rotation)")
    int limit;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--exemplar-count", defaultValue = "2", description = "exemplars in context at most")
    int exemplarCount;

    @Option(names = "--judge-pairs", defaultValue = "0", description = "decisive pairs per labelling principle (0: no judge check)")
    int judgePairs;

    @Option(names = "--max-answer-tokens", defaultValue = "96")
    int maxAnswerTokens;

    @Option(names = "--max-thought-tokens", defaultValue = "64")
    int maxThoughtTokens;

    @Option(names = "--temperature", defaultValue = "0.7")
    double temperature;

    @Option(names = "--json", description = "print the full report as JSON")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            SandboxCommand.engineThreads();
            if (!Files.isRegularFile(model.resolve("config.json"))) {
                throw new IllegalArgumentException("--model " + model + " is not a checkpoint directory (no config.json)");
            }
            if (limit < 1 || exemplarCount < 0 || judgePairs < 0 || maxAnswerTokens < 1 || maxThoughtTokens < 1 || temperature < 0) {
                throw new IllegalArgumentException("--limit, --max-*-tokens must be >= 1; --exemplar-count, --judge-pairs, --temperature >= 0");
            }
            if (judgePairs > 0 && principles == null) {
                throw new IllegalArgumentException("--judge-pairs needs --principles (the labelling principles come from the set)");
            }
            SandboxEval.Settings settings = new SandboxEval.Settings(maxAnswerTokens, maxThoughtTokens, temperature, seed, 6);
            Map<String, Object> report = SandboxEvalRunner.run(new SandboxEvalRunner.Options(model, principles, exemplars,
                    Split.parse(split), limit, seed, exemplarCount, judgePairs, settings), line -> {
                        err.println(line);
                        err.flush();
                    });
            if (json) {
                CliContext.printJson(spec.commandLine().getOut(), report);
            } else {
                PrintWriter out = spec.commandLine().getOut();
                SandboxEval.Report base = (SandboxEval.Report) report.get("base");
                out.printf("base composite %.1f%n", base.composite());
                if (report.containsKey("self_align")) {
                    out.printf("self-align composite %.1f (gain %+.1f)%n",
                            ((SandboxEval.Report) report.get("self_align")).composite(), (Double) report.get("gain"));
                }
                out.flush();
            }
            return CliContext.OK;
        } catch (Exception e) {
            return CliContext.fail(err, e);
        }
    }
}
