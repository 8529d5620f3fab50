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
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

/**
 * P2: principle-driven self-alignment. The base model continues the self-align prompt (format 2: the set's
 * self-align rules and the exemplars that fit the context, then the instruction) for every pool prompt;
 * outputs are written per shard as {@code self-align-shard} artifacts. {@link #run} does all shards and,
 * when retried in the same execution, skips those already registered; {@link #runShard} does one (for
 * fan-out over workers).
 */
public final class SelfAlignGenerationPhase {

    /**
     * Generation settings (reference: T 0.7, top-p 0.95, 512 new tokens). {@code instructionReserve} tokens of
     * the context are kept free for the instruction when choosing how many rules and exemplars fit.
     */
    public record Config(String assistant, int maxRules, int maxExemplars, int instructionReserve, int maxNewTokens,
            double temperature, double topP, int batchSize, int shards, long seed) {
        public Config {
            if (shards < 1 || batchSize < 1 || maxNewTokens < 1) {
                throw new IllegalArgumentException("shards, batchSize and maxNewTokens must be at least 1");
            }
        }

        public static Config reference() {
            return new Config(ChatFormat.DEFAULT_ASSISTANT, 17, 6, 64, 512, 0.7, 0.95, 8, 1, 42);
        }
    }

    /** One registered shard. */
    public record ShardResult(int shard, long artifactId, int generated, int tooLong, int rules, int exemplars) {}

    private SelfAlignGenerationPhase() {}

    /** Generates every shard not yet registered by this execution, in order; returns shard artifact ids in order. */
    public static List<Long> run(PhaseContext ctx, Config config, long poolArtifactId, long baseCheckpointArtifactId,
            PrincipleSet principles, ExemplarSet exemplars) {
        validate(principles);
        Map<Integer, Long> done = ShardLedger.completed(ctx, SelfAlignGeneration.KIND);
        for (int s = 0; s < config.shards(); s++) {
            if (!done.containsKey(s)) {
                done.put(s, shard(ctx, config, poolArtifactId, baseCheckpointArtifactId, principles, exemplars, s, done)
                        .artifactId());
            }
        }
        List<Long> ids = new ArrayList<>();
        for (int s = 0; s < config.shards(); s++) {
            ids.add(done.get(s));
        }
        return ids;
    }

    /** Generates one shard. */
    public static ShardResult runShard(PhaseContext ctx, Config config, long poolArtifactId,
            long baseCheckpointArtifactId, PrincipleSet principles, ExemplarSet exemplars, int shard) {
        validate(principles);
        return shard(ctx, config, poolArtifactId, baseCheckpointArtifactId, principles, exemplars, shard, Map.of());
    }

    private static void validate(PrincipleSet principles) {
        if (principles.withRole(Role.SELF_ALIGN).isEmpty()) {
            throw new IllegalArgumentException("principle set '" + principles.name() + "' has no self_align principles");
        }
    }

    private static ShardResult shard(PhaseContext ctx, Config config, long poolArtifactId, long checkpointId,
            PrincipleSet principles, ExemplarSet exemplars, int shard, Map<Integer, Long> earlier) {
        List<Prompt> pool = PromptPoolPhase.read(ctx, poolArtifactId);
        int[] range = SelfAlignGeneration.shardRange(pool.size(), shard, config.shards());
        try (ModelCheckpoints.Loaded m = ModelCheckpoints.load(ctx, checkpointId)) {
            int budget = m.context() - config.maxNewTokens() - config.instructionReserve();
            SelfAlignPrompt prompt = SelfAlignPrompt.fit(config.assistant(), principles.withRole(Role.SELF_ALIGN),
                    exemplars.exemplars(), config.maxRules(), config.maxExemplars(), budget, m::count);
            SamplingParams params = SamplingParams.sample(config.maxNewTokens(), config.temperature(), config.topP())
                    .withStop(List.of(ChatFormat.END_OF_TURN));
            Generator generator = new Generator(m.model(), m.tokenizer());
            List<SelfAlignGeneration.Output> outputs = new ArrayList<>();
            int tooLong = 0;
            long tokens = 0;
            List<Integer> batchIdx = new ArrayList<>();
            List<int[]> batch = new ArrayList<>();
            int total = range[1] - range[0];
            for (int i = range[0]; i < range[1]; i++) {
                int[] ids = m.tokenizer().encode(prompt.render(pool.get(i).userTurn()));
                if (ids.length + config.maxNewTokens() > m.context()) {
                    tooLong++;
                } else {
                    batchIdx.add(i);
                    batch.add(ids);
                }
                if (batch.size() == config.batchSize() || (i == range[1] - 1 && !batch.isEmpty())) {
                    long[] seeds = batchIdx.stream().mapToLong(p -> seedFor(config.seed(), p)).toArray();
                    List<Generation> gens = generator.generate(batch.toArray(new int[0][]), params, seeds, true);
                    for (int k = 0; k < gens.size(); k++) {
                        Generation g = gens.get(k);
                        tokens += g.tokens().length;
                        String text = g.text() + ("stop".equals(g.finishReason()) ? ChatFormat.END_OF_TURN : "");
                        outputs.add(new SelfAlignGeneration.Output(batchIdx.get(k), pool.get(batchIdx.get(k)), text));
                    }
                    batch.clear();
                    batchIdx.clear();
                    ctx.report("self-align-generate", i + 1 - range[0], total,
                            Map.of("shard", (double) shard, "generated", (double) outputs.size(),
                                    "tokens", (double) tokens), null);
                }
            }
            ObjectNode meta = SalmonJson.MAPPER.createObjectNode();
            meta.put("generated", outputs.size());
            meta.put("too_long", tooLong);
            meta.put("rules_in_context", prompt.rules().size());
            meta.put("exemplars_in_context", prompt.exemplars().size());
            meta.put("meta_prompt_tokens", m.count(prompt.meta()));
            meta.set("config", SalmonJson.MAPPER.valueToTree(config));
            if (principles.contentHash() != null) {
                meta.put("principle_set_hash", principles.contentHash());
            }
            if (exemplars.contentHash() != null) {
                meta.put("exemplar_set_hash", exemplars.contentHash());
            }
            ShardLedger.annotate(meta, shard, config.shards(), earlier);
            Artifact a = ctx.register(SelfAlignGeneration.KIND, SelfAlignGeneration.toJsonl(outputs), meta,
                    List.of(new ArtifactEdge(poolArtifactId, "pool"), new ArtifactEdge(checkpointId, "base-model")));
            return new ShardResult(shard, a.id(), outputs.size(), tooLong, prompt.rules().size(),
                    prompt.exemplars().size());
        }
    }

    /** A prompt's sampling seed depends only on the run seed and its pool position, not on batching or sharding. */
    static long seedFor(long seed, int promptIdx) {
        return seed * 1_000_003L + promptIdx;
    }
}
