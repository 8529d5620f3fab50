package salmonrun.activities.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import salmonrun.activities.model.AttentionMasks;
import salmonrun.activities.model.KvCache;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.NoGrad;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/**
 * Batched generation: prompts are left-padded to a common length, prefilled once, then decoded one token per
 * step with a KV cache (or, for checking, by re-running the whole sequence). Each row has its own seed.
 */
public final class Generator {
    private final LlamaModel model;
    private final TextTokenizer tokenizer;

    /** @param tokenizer for text prompts, stop strings and decoding; may be null when working on ids only */
    public Generator(LlamaModel model, TextTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Generates for text prompts; row i uses seed {@code seed + i}. */
    public List<Generation> generate(List<String> prompts, SamplingParams params, long seed) {
        long[] seeds = new long[prompts.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = seed + i;
        }
        return generate(tokenizer.encodeAll(prompts), params, seeds, true);
    }

    /**
     * Generates for tokenized prompts (each non-empty) with per-row seeds.
     *
     * @param useCache false re-runs the full sequence every step (slow; for verification and benchmarks)
     */
    public List<Generation> generate(int[][] prompts, SamplingParams params, long[] seeds, boolean useCache) {
        int rows = prompts.length;
        if (seeds.length != rows) {
            throw new IllegalArgumentException(rows + " prompts but " + seeds.length + " seeds");
        }
        int promptLength = 0;
        for (int i = 0; i < rows; i++) {
            if (prompts[i].length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty");
            }
            promptLength = Math.max(promptLength, prompts[i].length);
        }
        int maxNew = Math.min(params.maxNewTokens(), model.config().maxPositionEmbeddings() - promptLength);
        if (maxNew < 0) {
            throw new IllegalArgumentException("prompt of " + promptLength + " tokens exceeds max_position_embeddings "
                    + model.config().maxPositionEmbeddings());
        }
        int vocab = model.config().vocabSize();
        int pad = model.config().padTokenId() == null ? 0 : model.config().padTokenId();
        int[] padding = new int[rows];
        int total = promptLength + maxNew;
        long[] sequence = new long[rows * total];                 // left-padded prompt + generated, row-major [B,total]
        for (int r = 0; r < rows; r++) {
            padding[r] = promptLength - prompts[r].length;
            Arrays.fill(sequence, r * total, r * total + padding[r], pad);
            for (int i = 0; i < prompts[r].length; i++) {
                sequence[r * total + padding[r] + i] = prompts[r][i];
            }
        }
        SplittableRandom[] randoms = new SplittableRandom[rows];
        for (int r = 0; r < rows; r++) {
            randoms[r] = new SplittableRandom(seeds[r]);
        }
        List<List<Integer>> generated = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            generated.add(new ArrayList<>());
        }
        String[] finish = new String[rows];
        String[] texts = new String[rows];
        try (NoGrad ignored = new NoGrad();
             NDManager manager = model.manager().newSubManager();
             KvCache cache = useCache ? model.newCache(total) : null) {
            int length = promptLength;                             // filled columns of `sequence`
            for (int step = 0; step < maxNew; step++) {
                float[] logits;
                try (NDScope scope = new NDScope()) {
                    NDArray last;
                    if (useCache) {
                        int from = step == 0 ? 0 : length - 1;     // prefill everything, then feed one token
                        int t = length - from;
                        NDArray tokens = manager.create(slice(sequence, rows, total, from, t), new Shape(rows, t));
                        NDArray positions = AttentionMasks.positions(manager, padding, t, from);
                        NDArray bias = AttentionMasks.leftPadded(manager, padding, t, from);
                        NDArray hidden = model.hidden(tokens, positions, bias, cache);          // [B,t,H]
                        last = hidden.get(":, -1, :");                                          // [B,H]
                    } else {
                        NDArray tokens = manager.create(slice(sequence, rows, total, 0, length), new Shape(rows, length));
                        NDArray positions = AttentionMasks.positions(manager, padding, length, 0);
                        NDArray bias = AttentionMasks.leftPadded(manager, padding, length, 0);
                        last = model.hidden(tokens, positions, bias, null).get(":, -1, :");     // [B,H]
                    }
                    logits = model.logits(last).toFloatArray();                                  // [B*V]
                }
                boolean anyActive = false;
                for (int r = 0; r < rows; r++) {
                    if (finish[r] != null) {
                        sequence[r * total + length] = pad;
                        continue;
                    }
                    int next = Sampler.sample(logits, r * vocab, vocab, params, randoms[r]);
                    sequence[r * total + length] = next;
                    generated.get(r).add(next);
                    if (params.eosIds().contains(next)) {
                        finish[r] = "eos";
                    } else if (!params.stopStrings().isEmpty() && tokenizer != null) {
                        String text = tokenizer.decode(toArray(generated.get(r)));
                        int cut = firstStop(text, params.stopStrings());
                        if (cut >= 0) {
                            finish[r] = "stop";
                            texts[r] = text.substring(0, cut);
                        }
                    }
                    anyActive |= finish[r] == null;
                }
                length++;
                if (!anyActive) {
                    break;
                }
            }
        }
        List<Generation> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            int[] ids = toArray(generated.get(r));
            String reason = finish[r] == null ? "length" : finish[r];
            String text = texts[r] != null ? texts[r] : tokenizer == null ? "" : tokenizer.decodeSkippingSpecial(
                    reason.equals("eos") ? Arrays.copyOf(ids, ids.length - 1) : ids);
            out.add(new Generation(text, ids, reason));
        }
        return out;
    }

    private static int firstStop(String text, List<String> stops) {
        int best = -1;
        for (String s : stops) {
            int i = text.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    private static long[] slice(long[] seq, int rows, int total, int from, int t) {
        long[] out = new long[rows * t];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(seq, r * total + from, out, r * t, t);
        }
        return out;
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
