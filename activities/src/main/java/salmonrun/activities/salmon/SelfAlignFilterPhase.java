package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.principles.ExemplarSet;

/**
 * P3: filters the {@code self-align-shard}s of a generation into the {@code self-align-data} artifact
 * (engraving data), with per-filter drop counts and the blacklist terms that fired in its metadata. The
 * exemplar blacklist is derived from the exemplar set against the pool's instructions.
 */
public final class SelfAlignFilterPhase {
    /** Kind of the output artifact. */
    public static final String KIND = "self-align-data";

    /**
     * Filter settings: assistant name, the output filters, and the blacklist derivation
     * ({@code maxBackgroundFraction} of pool instructions a topic word may appear in, n-gram length).
     */
    public record Config(String assistant, SelfAlignFilter.Config filter, double maxBackgroundFraction,
            int phraseWords) {
        public static Config defaults() {
            return new Config(ChatFormat.DEFAULT_ASSISTANT, SelfAlignFilter.Config.defaults(), 0.01, 5);
        }
    }

    /** The registered data and what each filter dropped. */
    public record Result(long artifactId, int seen, int kept, Map<SelfAlignFilter.Drop, Integer> drops) {}

    private SelfAlignFilterPhase() {}

    public static Result run(PhaseContext ctx, Config config, long poolArtifactId, List<Long> shardArtifactIds,
            ExemplarSet exemplars) {
        if (shardArtifactIds.isEmpty()) {
            throw new IllegalArgumentException("no self-align shards to filter");
        }
        List<Prompt> pool = PromptPoolPhase.read(ctx, poolArtifactId);
        List<byte[]> shards = new ArrayList<>();
        for (long id : shardArtifactIds) {
            shards.add(ctx.read(id, SelfAlignGeneration.KIND));
        }
        ExemplarBlacklist blacklist = ExemplarBlacklist.derive(exemplars.exemplars(),
                pool.stream().map(Prompt::userTurn).toList(), config.assistant(), config.maxBackgroundFraction(),
                config.phraseWords());
        SelfAlignFilter filter = new SelfAlignFilter(config.assistant(), blacklist, config.filter());
        List<SelfAlignExample> kept = new ArrayList<>();
        int done = 0;
        for (byte[] shard : shards) {
            for (SelfAlignGeneration.Output o : SelfAlignGeneration.readShard(shard)) {
                SelfAlignFilter.Kept k = filter.apply(o.prompt().userTurn(), o.output());
                if (k != null) {
                    kept.add(new SelfAlignExample(kept.size(), o.prompt(), k.response(), k.finished()));
                }
            }
            ctx.report("self-align-filter", ++done, shards.size(), Map.of("kept", (double) kept.size()), null);
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("every one of " + filter.seen() + " self-align outputs was dropped "
                    + filter.drops() + ": nothing to engrave");
        }
        ObjectNode meta = SalmonJson.MAPPER.createObjectNode();
        meta.put("seen", filter.seen());
        meta.put("kept", filter.kept());
        meta.put("dedup_changed", filter.dedupChanged());
        ObjectNode drops = meta.putObject("drops");
        filter.drops().forEach((d, n) -> drops.put(d.name().toLowerCase(), n));
        ObjectNode leaks = meta.putObject("leak_terms");
        filter.leakTerms().forEach(leaks::put);
        ObjectNode bl = meta.putObject("blacklist");
        blacklist.topicWords().stream().sorted().forEach(w -> bl.withArray("topic_words").add(w));
        bl.put("phrases", blacklist.phrases().size());
        if (exemplars.contentHash() != null) {
            meta.put("exemplar_set_hash", exemplars.contentHash());
        }
        List<ArtifactEdge> inputs = new ArrayList<>();
        inputs.add(new ArtifactEdge(poolArtifactId, "pool"));
        shardArtifactIds.forEach(id -> inputs.add(new ArtifactEdge(id, "shard")));
        Artifact a = ctx.register(KIND, SelfAlignExample.toJsonl(kept), meta, inputs);
        return new Result(a.id(), filter.seen(), filter.kept(), filter.drops());
    }

    /** The examples of a registered {@code self-align-data} artifact. */
    public static List<SelfAlignExample> read(PhaseContext ctx, long dataArtifactId) {
        return SelfAlignExample.fromJsonl(ctx.read(dataArtifactId, KIND));
    }
}
