package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import salmonrun.activities.model.bench.ModelBench;

/** {@code salmon bench model [--json]}: GEMM peak, training MFU, decoding speed, RSS growth. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Model engine benchmark: gemm_gflops, train_tokens_per_s/train_mfu (~1M, ~5M), "
                + "decode_tokens_per_s (batch 1/16, with/without KV cache), rss_growth.")
public final class BenchModelCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print one JSON object (progress goes to stderr)")
    boolean json;

    @Option(names = "--train-steps", defaultValue = "6", description = "timed training steps per model")
    int trainSteps;

    @Option(names = "--rows", defaultValue = "8", description = "sequences per training step")
    int rows;

    @Option(names = "--decode-tokens", defaultValue = "128")
    int decodeTokens;

    @Option(names = "--rss-steps", defaultValue = "5000",
            description = "length of the RSS run; RSS is compared at step rss-steps/5 and at the end")
    int rssSteps;

    @Option(names = "--rss-context", defaultValue = "512", description = "tokens per step of the RSS run (1 row)")
    int rssContext;

    @Option(names = "--no-rss", description = "skip the long RSS run")
    boolean noRss;

    @Option(names = "--only-rss", description = "run only the RSS measurement")
    boolean onlyRss;

    @Option(names = "--threads", defaultValue = "0", description = "intra-op threads (0 = engine default)")
    int threads;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> figures = ModelBench.run(
                new ModelBench.Options(trainSteps, rows, 512, decodeTokens, rssSteps, rssContext, noRss,
                        onlyRss, threads), System.err::println);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(figures));
        } else {
            figures.forEach((k, v) -> System.out.println(k + " = " + v));
        }
        return 0;
    }
}
