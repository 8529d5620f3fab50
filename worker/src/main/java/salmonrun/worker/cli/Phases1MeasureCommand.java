package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import salmonrun.activities.principles.DefaultPrinciples;
import salmonrun.activities.salmon.PhasesOneMeasurement;

/**
 * `salmon phases1-measure --base DIR`: runs phases I (pool, self-align, filter, engraving, pairs, judging,
 * aggregation and a rebuild) on the sandbox and prints the three figures issue 5 asks for.
 */
@Command(name = "phases1-measure", mixinStandardHelpOptions = true,
        description = "Measure SALMON phases I on the sandbox: engraving gain kept, judge-grader agreement, rebuild sha256.")
public final class Phases1MeasureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--base", required = true, description = "Pretrained sandbox base checkpoint directory (salmon sandbox pretrain --out).")
    Path base;

    @Option(names = "--pool", defaultValue = "600", description = "Train-split prompts for self-alignment (default ${DEFAULT-VALUE}).")
    int pool;

    @Option(names = "--test", defaultValue = "200", description = "Test-split instructions for the composite (default ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--pairs", defaultValue = "200", description = "Validation-split prompts for response pairs (default ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--epochs", defaultValue = "3", description = "Engraving epochs (default ${DEFAULT-VALUE}).")
    double epochs;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Engraving learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every draw (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--judge-with-base", description = "Judge with the base model instead of the engraved one (the reference uses the engraved one).")
    boolean judgeWithBase;

    @Option(names = "--out", description = "Also write the report as JSON to this file.")
    Path out;

    @Override
    public Integer call() {
        return CliContext.run(spec, ctx -> {
            if (!Files.isDirectory(base)) {
                throw new IllegalArgumentException("--base " + base + " is not a checkpoint directory");
            }
            PrintWriter w = spec.commandLine().getOut();
            var s = PhasesOneMeasurement.Settings.forContext(pool, test, pairs, epochs, seed);
            var e = s.engrave();
            s = new PhasesOneMeasurement.Settings(s.poolSize(), s.testSize(), s.pairPrompts(), s.seed(), s.generate(),
                    s.filter(), new salmonrun.activities.salmon.EngravingPhase.Config(e.assistant(), e.systemPrompts(),
                            e.epochs(), e.batchRows(), e.accumulation(), e.maxLength(), lr, e.checkpointEvery(), e.seed()),
                    s.pairs(), s.judge(), s.aggregate(), judgeWithBase, s.eval(), s.minGraderPairs());
            var report = PhasesOneMeasurement.run(ctx.lineage(), ctx.store(), base, DefaultPrinciples.principles(),
                    DefaultPrinciples.exemplars(), s, line -> {
                        w.println(line);
                        w.flush();
                    });
            CliContext.printJson(w, report);
            if (out != null) {
                Files.writeString(out, CliContext.JSON.writeValueAsString(report));
            }
            if (report.aggregationError() != null) {
                w.println("aggregation failed, no judge figures: " + report.aggregationError());
            }
            w.printf("gain kept %.3f (target >= 0.8: %s); judge agreement target: %s; rebuild identical: %s%n",
                    report.gainKept(), report.gainTargetMet() ? "met" : "NOT met",
                    report.judgeTargetMet() ? "met" : "NOT met",
                    report.aggregationError() != null ? "not measured (no dataset)" : report.rebuildIdentical());
            return report.gainTargetMet() && report.judgeTargetMet() && report.rebuildIdentical()
                    ? CliContext.OK : CliContext.FAILED;
        });
    }
}
