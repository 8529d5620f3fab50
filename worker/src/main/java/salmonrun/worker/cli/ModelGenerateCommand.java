package salmonrun.worker.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.checkpoint.CheckpointException;
import salmonrun.activities.model.generate.Generation;
import salmonrun.activities.model.generate.Generator;
import salmonrun.activities.model.generate.SamplingParams;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/** Prints {"text":...,"tokens":[ids],"finish_reason":...} for one sampled continuation. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Sample a continuation of a prompt, as JSON.")
public final class ModelGenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "checkpoint directory")
    Path model;

    @Option(names = "--prompt", required = true)
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "64")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default)")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", description = "0 = no top-k filter")
    int topK;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--stop", description = "stop string (repeatable)")
    List<String> stops = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try {
            return execute();
        } catch (CheckpointException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("salmon model generate: " + e.getMessage());
            return 2;
        }
    }

    private Integer execute() throws Exception {
        try (TextTokenizer tok = Checkpoint.loadTokenizer(model);
             LlamaModel m = Checkpoint.loadDecoder(model, Device.cpu())) {
            if (tok.encode(prompt).length == 0) {
                spec.commandLine().getErr().println("salmon model generate: the prompt is empty after tokenization");
                return 2;
            }
            List<Integer> eos = m.config().eosTokenId() == null ? List.of() : m.config().eosTokenId();
            SamplingParams p = new SamplingParams(maxNewTokens, temperature, topP, topK, stops, eos);
            Generation g = new Generator(m, tok).generate(List.of(prompt), p, seed).get(0);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("text", g.text());
            out.put("tokens", g.tokens());
            out.put("finish_reason", g.finishReason());
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
            return 0;
        }
    }
}
