package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.model.generate.Generation;
import salmonrun.activities.model.generate.Generator;
import salmonrun.activities.model.generate.SamplingParams;

/**
 * P5/P6: two samples per prompt from the engraved model (format 1 with the concise system prompt; two
 * seeds), paired as the reference does ({@link ResponsePair#pair}) into the {@code response-pairs}
 * artifact. The shuffle seed is recorded in the metadata so the pairing can be rebuilt bit for bit.
 */
public final class ResponsePairsPhase {
    /** Kind of the output artifact. */
    public static final String KIND = "response-pairs";

    /** Sampling settings ({@code systemPrompts} as in {@link EngravingPhase.Config}). Reference: T 0.7, top-p 1.0, 768 new tokens, seeds 42 and 43, pairs under 16 chars dropped, Random(42) shuffle. */
    public record Config(String assistant, List<String> systemPrompts, int maxNewTokens, double temperature, double topP,
            long seedA, long seedB, int minChars, long shuffleSeed, int batchSize) {
        public Config {
            systemPrompts = List.copyOf(systemPrompts);
            if (seedA == seedB) {
                throw new IllegalArgumentException("the two samples need different seeds, both are " + seedA);
            }
            if (batchSize < 1 || maxNewTokens < 1) {
                throw new IllegalArgumentException("batchSize and maxNewTokens must be at least 1");
            }
        }

        public static Config reference() {
            return new Config(ChatFormat.DEFAULT_ASSISTANT, List.of(), 768, 0.7, 1.0, 42, 43, 16, 42, 8);
        }
    }

    /** The registered pairs. */
    public record Result(long artifactId, int prompts, int tooLong, int pairs) {}

    private ResponsePairsPhase() {}

    /** Samples and pairs responses for every prompt of a {@code prompt-pool} artifact (the reference's way). */
    public static Result run(PhaseContext ctx, Config config, long promptsArtifactId, long modelCheckpointArtifactId) {
        return runShard(ctx, config, promptsArtifactId, modelCheckpointArtifactId, 0, 1);
    }

    /**
     * Samples and pairs the prompts of one contiguous shard of the pool, for fan-out. Pairs are shuffled
     * within the shard and numbered from the shard's first pool position, so {@code example_idx} stays
     * unique across shards; with one shard this is exactly {@link #run}.
     */
    public static Result runShard(PhaseContext ctx, Config config, long promptsArtifactId,
            long modelCheckpointArtifactId, int shard, int shards) {
        List<Prompt> all = PromptPoolPhase.read(ctx, promptsArtifactId);
        int[] range = SelfAlignGeneration.shardRange(all.size(), shard, shards);
        List<Prompt> prompts = all.subList(range[0], range[1]);
        ChatFormat format = ChatFormat.of(config.assistant(), config.systemPrompts());
        try (ModelCheckpoints.Loaded m = ModelCheckpoints.load(ctx, modelCheckpointArtifactId)) {
            SamplingParams params = SamplingParams.sample(config.maxNewTokens(), config.temperature(), config.topP())
                    .withStop(List.of(ChatFormat.END_OF_TURN));
            Generator generator = new Generator(m.model(), m.tokenizer());
            List<ResponsePair.Sample> first = new ArrayList<>();
            List<ResponsePair.Sample> second = new ArrayList<>();
            List<Integer> idx = new ArrayList<>();
            List<int[]> batch = new ArrayList<>();
            int tooLong = 0;
            long tokens = 0;
            for (int i = 0; i < prompts.size(); i++) {
                int[] ids = m.tokenizer().encode(format.prompt(format.conciseSystemPrompt(), prompts.get(i).userTurn()));
                if (ids.length + config.maxNewTokens() > m.context()) {
                    tooLong++;
                } else {
                    idx.add(i);
                    batch.add(ids);
                }
                if (batch.size() == config.batchSize() || (i == prompts.size() - 1 && !batch.isEmpty())) {
                    // both samples of a prompt in one call: rows [0, n) use seed A, rows [n, 2n) seed B
                    int n = batch.size();
                    int[][] rows = new int[2 * n][];
                    long[] seeds = new long[2 * n];
                    for (int k = 0; k < n; k++) {
                        rows[k] = batch.get(k);
                        rows[n + k] = batch.get(k);
                        seeds[k] = SelfAlignGenerationPhase.seedFor(config.seedA(), range[0] + idx.get(k));
                        seeds[n + k] = SelfAlignGenerationPhase.seedFor(config.seedB(), range[0] + idx.get(k));
                    }
                    List<Generation> g = generator.generate(rows, params, seeds, true);
                    for (Generation one : g) {
                        tokens += one.tokens().length;
                    }
                    for (int k = 0; k < n; k++) {
                        Prompt p = prompts.get(idx.get(k));
                        first.add(new ResponsePair.Sample(p, g.get(k).text()));
                        second.add(new ResponsePair.Sample(p, g.get(n + k).text()));
                    }
                    batch.clear();
                    idx.clear();
                    ctx.report("response-pairs", i + 1, prompts.size(), Map.of("sampled", (double) first.size(),
                            "tokens", (double) tokens), null);
                }
            }
            List<ResponsePair> pairs = new java.util.ArrayList<>();
            for (ResponsePair p : ResponsePair.pair(first, second, config.minChars(), config.shuffleSeed())) {
                pairs.add(new ResponsePair(range[0] + p.exampleIdx(), p.prompt(), p.output1(), p.output2()));
            }
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("no response pairs: " + prompts.size() + " prompts, " + tooLong
                        + " too long for the model's context, every other pair had an answer under "
                        + config.minChars() + " characters");
            }
            ObjectNode meta = SalmonJson.MAPPER.createObjectNode();
            meta.put("prompts", prompts.size());
            meta.put("too_long", tooLong);
            meta.put("pairs", pairs.size());
            meta.put("short_dropped", first.size() - pairs.size());
            meta.put("shuffle_seed", config.shuffleSeed());
            meta.put("shard", shard);
            meta.put("shards", shards);
            meta.set("config", SalmonJson.MAPPER.valueToTree(config));
            Artifact a = ctx.register(KIND, ResponsePair.toJsonl(pairs), meta, List.of(
                    new ArtifactEdge(promptsArtifactId, "prompts"), new ArtifactEdge(modelCheckpointArtifactId, "model")));
            return new Result(a.id(), prompts.size(), tooLong, pairs.size());
        }
    }

    /** The pairs of a registered {@code response-pairs} artifact. */
    public static List<ResponsePair> read(PhaseContext ctx, long pairsArtifactId) {
        return ResponsePair.fromJsonl(ctx.read(pairsArtifactId, KIND));
    }
}
