package salmonrun.activities.sandbox;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.Scorer;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.generate.Generation;
import salmonrun.activities.model.generate.Generator;
import salmonrun.activities.model.generate.SamplingParams;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/** A checkpoint directory loaded into the DJL engine, seen through the sandbox's {@link SandboxModel} seam. */
public final class EngineSandboxModel implements SandboxModel, AutoCloseable {

    private static final int BATCH = 16;

    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final int idA;
    private final int idB;

    private EngineSandboxModel(LlamaModel model, TextTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        int[] a = tokenizer.encode("Output (a");
        int[] b = tokenizer.encode("Output (b");
        int[] open = tokenizer.encode("Output (");
        this.idA = a[a.length - 1];
        this.idB = b[b.length - 1];
        // The judge reads the logit of the token after "Output (": that only works if "a"/"b" are separate tokens.
        if (idA == idB || a.length != open.length + 1 || b.length != open.length + 1) {
            throw new IllegalStateException("tokenizer does not split 'Output (a' / 'Output (b' into 'Output (' + one token");
        }
    }

    /** Loads {@code config.json}, {@code model.safetensors} and {@code tokenizer.json} from a checkpoint directory. */
    public static EngineSandboxModel load(Path dir) {
        LlamaModel model = Checkpoint.loadDecoder(dir, Device.cpu());
        try {
            return new EngineSandboxModel(model, Checkpoint.loadTokenizer(dir));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public List<String> generate(List<String> prompts, int maxNewTokens, double temperature, long seed) {
        Generator gen = new Generator(model, tokenizer);
        SamplingParams params = SamplingParams.sample(maxNewTokens, temperature, 1.0).withStop(List.of(SandboxFormats.END_OF_TURN));
        List<String> out = new ArrayList<>();
        for (int start = 0; start < prompts.size(); start += BATCH) {
            List<String> chunk = prompts.subList(start, Math.min(prompts.size(), start + BATCH));
            for (Generation g : gen.generate(chunk, params, seed + start)) {
                // The generator cuts the stop string off; put the marker back so the eval sees the answer finished.
                out.add(g.text() + ("stop".equals(g.finishReason()) ? SandboxFormats.END_OF_TURN : ""));
            }
        }
        return out;
    }

    @Override
    public int countTokens(String text) {
        return tokenizer.encode(text).length;
    }

    @Override
    public int contextLength() {
        return model.config().maxPositionEmbeddings();
    }

    @Override
    public double[] judgeScores(List<String> judgePrompts) {
        List<int[]> ids = new ArrayList<>();
        for (String p : judgePrompts) {
            int[] t = tokenizer.encode(p);
            if (t.length > contextLength()) {
                throw new IllegalArgumentException("judge prompt of " + t.length + " tokens exceeds the context of " + contextLength());
            }
            ids.add(t);
        }
        return new Scorer(model, BATCH).logitMargins(ids, idA, idB);
    }

    @Override
    public double[] continuationLogProbs(List<String> prompts, List<String> continuations) {
        return new Scorer(model, BATCH).summedLogProbs(List.of(tokenizer.encodeAll(prompts)), List.of(tokenizer.encodeAll(continuations)));
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
