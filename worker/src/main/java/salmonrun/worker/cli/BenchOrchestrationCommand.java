package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import salmonrun.worker.bench.OrchestrationBench;
import salmonrun.worker.demo.DemoPreset;

/** `salmon bench orchestration`: orchestration overhead and time-to-resume after a worker dies. */
@Command(name = "orchestration", mixinStandardHelpOptions = true,
        description = "Measure orchestration overhead of a ci-shaped run and the time from a worker's death to the "
                + "resumed activity (rehearsal backend), or the overhead of a real preset run (--backend production); "
                + "throw-away lineage database on SALMON_DB_URL's server.")
public final class BenchOrchestrationCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--heartbeat-seconds", defaultValue = "3", description = "Heartbeat timeout for the resume test.")
    int heartbeatSeconds;

    @Option(names = "--skip-resume", description = "Only the overhead measurement (no child processes).")
    boolean skipResume;

    @Option(names = "--backend", defaultValue = "rehearsal",
            description = "rehearsal (tiny trainer, also measures resume) or production (SALMON activities on a demo "
                    + "preset; overhead only).")
    String backend;

    @Option(names = "--preset", defaultValue = "ci", description = "Demo preset of the production run: ci, tiny or small.")
    String preset;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the production run (base model and phases).")
    long seed;

    @Option(names = "--skip-self-align", description = "Production run: the base model stands in for the SFT model "
            + "(a briefly pretrained base model's self-align outputs are all filtered out).")
    boolean skipSelfAlign;

    @Override
    public Integer call() throws Exception {
        ObjectNode figures = switch (backend) {
            case "rehearsal" -> new OrchestrationBench().run(heartbeatSeconds, skipResume);
            case "production" -> new OrchestrationBench().production(DemoPreset.named(preset), seed, skipSelfAlign);
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--backend must be rehearsal or production, got '" + backend + "'");
        };
        ObjectMapper mapper = new ObjectMapper();
        System.out.println(json ? mapper.writeValueAsString(figures)
                : mapper.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
        return 0;
    }
}
