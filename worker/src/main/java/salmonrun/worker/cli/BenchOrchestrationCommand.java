package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import salmonrun.worker.bench.OrchestrationBench;

/** `salmon bench orchestration`: orchestration overhead and time-to-resume after a worker dies. */
@Command(name = "orchestration", mixinStandardHelpOptions = true,
        description = "Measure orchestration overhead of a ci-shaped run and the time from a worker's death to the "
                + "resumed activity (rehearsal backend, throw-away lineage database on SALMON_DB_URL's server).")
public final class BenchOrchestrationCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--heartbeat-seconds", defaultValue = "3", description = "Heartbeat timeout for the resume test.")
    int heartbeatSeconds;

    @Option(names = "--skip-resume", description = "Only the overhead measurement (no child processes).")
    boolean skipResume;

    @Override
    public Integer call() throws Exception {
        ObjectNode figures = new OrchestrationBench().run(heartbeatSeconds, skipResume);
        ObjectMapper mapper = new ObjectMapper();
        System.out.println(json ? mapper.writeValueAsString(figures)
                : mapper.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
        return 0;
    }
}
