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
import salmonrun.activities.model.Scorer;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.checkpoint.CheckpointException;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/** Prints {"tokens":[...],"logprobs":[...],"total":x} for a continuation of a prompt. */
@Command(name = "logprobs", mixinStandardHelpOptions = true,
        description = "Per-token log-probabilities of a continuation given a prompt, as JSON.")
public final class ModelLogprobsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "checkpoint directory (config.json, model.safetensors, tokenizer.json)")
    Path model;

    @Option(names = "--prompt", required = true, description = "context text (must tokenize to at least one token)")
    String prompt;

    @Option(names = "--continuation", required = true, description = "text to score")
    String continuation;

    @Override
    public Integer call() throws Exception {
        try {
            return execute();
        } catch (CheckpointException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("salmon model logprobs: " + e.getMessage());
            return 2;
        }
    }

    private Integer execute() throws Exception {
        try (TextTokenizer tok = Checkpoint.loadTokenizer(model);
             LlamaModel m = Checkpoint.loadDecoder(model, Device.cpu())) {
            int[] p = tok.encode(prompt);
            int[] c = tok.encode(continuation);
            if (p.length == 0) {
                spec.commandLine().getErr().println("salmon model logprobs: the prompt is empty after tokenization");
                return 2;
            }
            float[] lp = new Scorer(m, 1).continuationLogProbs(List.of(p), List.of(c)).get(0);
            List<String> tokens = new ArrayList<>();
            List<Double> logprobs = new ArrayList<>();
            double total = 0;
            for (int i = 0; i < c.length; i++) {
                tokens.add(tok.decode(new int[] {c[i]}));
                logprobs.add((double) lp[i]);
                total += lp[i];
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tokens", tokens);
            out.put("logprobs", logprobs);
            out.put("total", total);
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
            return 0;
        }
    }
}
