package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import salmonrun.worker.demo.DemoPreset;
import salmonrun.worker.demo.DemoRunner;
import salmonrun.worker.demo.DemoSummary;
import salmonrun.worker.demo.ProgressDisplay;
import salmonrun.worker.demo.SummaryText;

/**
 * `salmon demo`: the whole SALMON pipeline on the sandbox, with Temporal and a worker inside this process and lineage
 * in PostgreSQL (SALMON_DB_URL/USER/PASSWORD). Exit 0 when every phase ran, 1 when the run failed, 2 when PostgreSQL
 * is unreachable or pieces of the pipeline are not built yet.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Pretrain (or reuse) the sandbox base model and run the whole SALMON pipeline through the "
                + "SalmonRun workflow on an in-process Temporal service; print each phase's duration and figures "
                + "and the grader's rates for base, base with principles, SFT and PPO models.",
                "Needs only PostgreSQL (SALMON_DB_URL, default jdbc:postgresql://127.0.0.1:5432/salmon)."})
public final class DemoCommand implements Callable<Integer> {
    /** The summary's JSON: snake_case field names. */
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", defaultValue = "tiny",
            description = "tiny (default, about 15 minutes on 2 cores), ci (a small base trained a fixed 300 steps, then the pipeline; for tests) or small.")
    String preset;

    @Option(names = "--json", description = "Print the summary as one JSON object on stdout (progress stays on stderr).")
    boolean json;

    @Option(names = "--force", description = "Recompute everything instead of reusing memoized results.")
    boolean force;

    @Option(names = "--seed", defaultValue = "1", description = "Base seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pretrain-seconds",
            description = "Training budget of the base-model pretraining (default: the preset's).")
    Integer pretrainSeconds;

    @Option(names = "--verbose", description = "Keep the Temporal SDK's and DJL's own log lines (warnings and up).")
    boolean verbose;

    /**
     * The SDK logs every failed activity attempt with a stack trace, and DJL warns about the missing GPU: the demo
     * reports failures in its summary instead. Effective when no logger exists yet (a fresh `salmon demo` process);
     * explicit -Dorg.slf4j.simpleLogger.* settings win.
     */
    static void quietLibraries() {
        for (String pkg : new String[] {"io.temporal", "ai.djl", "com.zaxxer.hikari", "org.flywaydb"}) {
            String key = "org.slf4j.simpleLogger.log." + pkg;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            quietLibraries();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoPreset chosen;
        try {
            chosen = DemoPreset.named(preset);
            if (pretrainSeconds != null) {
                chosen = chosen.withPretrainSeconds(pretrainSeconds);
            }
        } catch (IllegalArgumentException e) {
            err.println("salmon demo: " + e.getMessage());
            err.flush();
            return CliContext.FAILED;
        }
        DemoPreset sized = chosen;
        return CliContext.run(spec, ctx -> {
            ProgressDisplay display = ProgressDisplay.on(err);
            DemoRunner.Outcome outcome = new DemoRunner(ctx.db(), ctx.store(), display, DemoRunner.Backend.production())
                    .run(new DemoRunner.Options(sized, seed, force, 500));
            DemoSummary summary = outcome.summary();
            if (json) {
                out.println(JSON.writeValueAsString(summary));
                out.flush();
            } else {
                SummaryText.print(summary, out);
            }
            if (outcome.exitCode() == DemoRunner.NOT_BUILT) {
                err.println("salmon demo: not built yet: " + String.join(", ", summary.notAvailable().keySet())
                        + (summary.workflowId() == null ? " (nothing could run)" : " (every built phase ran)"));
                err.flush();
            }
            return outcome.exitCode();
        });
    }
}
