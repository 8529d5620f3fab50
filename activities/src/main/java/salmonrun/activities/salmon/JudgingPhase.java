package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.model.Scorer;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

/**
 * P7: principle-wise judging. For every pair of a shard and every labelling principle, the judge prompt
 * (format 3) is scored in both orders: {@code s12 = logit(a) - logit(b)} with (o1, o2) and
 * {@code s21 = logit(b) - logit(a)} with (o2, o1), the next-token logits at the last position. Both scores
 * are kept ({@code judgement-shard} artifacts); labelling happens in aggregation. {@link #run} judges all
 * shards and skips those this execution already registered, so a retry resumes per shard.
 */
public final class JudgingPhase {
    /** Kind of a shard artifact. */
    public static final String KIND = "judgement-shard";

    /** Judge settings; {@code dimensions} empty means every labelling principle of the set. */
    public record Config(String assistant, List<String> dimensions, int batchSize, int shards) {
        public Config {
            dimensions = List.copyOf(dimensions);
            if (batchSize < 1 || shards < 1) {
                throw new IllegalArgumentException("batchSize and shards must be at least 1");
            }
        }

        public static Config defaults() {
            return new Config(ChatFormat.DEFAULT_ASSISTANT, List.of(), 8, 1);
        }
    }

    /** One registered shard. */
    public record ShardResult(int shard, long artifactId, int pairs, int tooLong) {}

    private JudgingPhase() {}

    /** Judges every shard not yet registered by this execution, in order; returns shard artifact ids in order. */
    public static List<Long> run(PhaseContext ctx, Config config, long pairsArtifactId, long judgeCheckpointArtifactId,
            PrincipleSet principles) {
        List<Principle> dims = dimensions(principles, config);
        Map<Integer, Long> done = ShardLedger.completed(ctx, KIND);
        for (int s = 0; s < config.shards(); s++) {
            if (!done.containsKey(s)) {
                done.put(s, shard(ctx, config, pairsArtifactId, judgeCheckpointArtifactId, principles, dims, s, done)
                        .artifactId());
            }
        }
        List<Long> ids = new ArrayList<>();
        for (int s = 0; s < config.shards(); s++) {
            ids.add(done.get(s));
        }
        return ids;
    }

    /** Judges one shard. */
    public static ShardResult runShard(PhaseContext ctx, Config config, long pairsArtifactId,
            long judgeCheckpointArtifactId, PrincipleSet principles, int shard) {
        return shard(ctx, config, pairsArtifactId, judgeCheckpointArtifactId, principles, dimensions(principles, config),
                shard, Map.of());
    }

    /** The labelling principles to judge, validated. */
    static List<Principle> dimensions(PrincipleSet set, Config config) {
        List<Principle> labelling = set.withRole(Role.LABELLING);
        if (labelling.isEmpty()) {
            throw new IllegalArgumentException("principle set '" + set.name() + "' has no labelling principles");
        }
        if (config.dimensions().isEmpty()) {
            return labelling;
        }
        Map<String, Principle> byName = new LinkedHashMap<>();
        labelling.forEach(p -> byName.put(p.name(), p));
        List<Principle> out = new ArrayList<>();
        for (String n : config.dimensions()) {
            Principle p = byName.get(n);
            if (p == null) {
                throw new IllegalArgumentException("principle set '" + set.name() + "' has no labelling principle '" + n
                        + "' (has " + byName.keySet() + ")");
            }
            out.add(p);
        }
        return out;
    }

    private static ShardResult shard(PhaseContext ctx, Config config, long pairsArtifactId, long checkpointId,
            PrincipleSet principles, List<Principle> dims, int shard, Map<Integer, Long> earlier) {
        List<ResponsePair> all = ResponsePairsPhase.read(ctx, pairsArtifactId);
        int[] range = SelfAlignGeneration.shardRange(all.size(), shard, config.shards());
        List<ResponsePair> pairs = all.subList(range[0], range[1]);
        JudgePrompt judge = new JudgePrompt(config.assistant());
        try (ModelCheckpoints.Loaded m = ModelCheckpoints.load(ctx, checkpointId)) {
            int[] ab = probeIds(m);
            Scorer scorer = new Scorer(m.model(), config.batchSize());
            List<Judgement> out = new ArrayList<>();
            int tooLong = 0;
            int done = 0;
            for (ResponsePair p : pairs) {
                List<int[]> prompts = new ArrayList<>();
                boolean fits = true;
                for (Principle d : dims) {
                    String criterion = d.definition();
                    int[] fwd = m.tokenizer().encode(judge.render(p.prompt().userTurn(), p.output1(), p.output2(),
                            d.name(), criterion));
                    int[] rev = m.tokenizer().encode(judge.render(p.prompt().userTurn(), p.output2(), p.output1(),
                            d.name(), criterion));
                    fits &= fwd.length <= m.context() && rev.length <= m.context();
                    prompts.add(fwd);
                    prompts.add(rev);
                }
                if (!fits) {
                    tooLong++;
                } else {
                    double[] margins = scorer.logitMargins(prompts, ab[0], ab[1]);
                    for (int k = 0; k < dims.size(); k++) {
                        // The reversed order's score is logit(b) - logit(a): positive still favours output1.
                        out.add(new Judgement(p.exampleIdx(), dims.get(k).name(), margins[2 * k], -margins[2 * k + 1]));
                    }
                }
                done++;
                ctx.report("judge", done, pairs.size(), Map.of("shard", (double) shard), null);
            }
            ObjectNode meta = SalmonJson.MAPPER.createObjectNode();
            meta.put("pairs", pairs.size());
            meta.put("too_long", tooLong);
            meta.put("judgements", out.size());
            meta.set("config", SalmonJson.MAPPER.valueToTree(config));
            if (principles.contentHash() != null) {
                meta.put("principle_set_hash", principles.contentHash());
            }
            ShardLedger.annotate(meta, shard, config.shards(), earlier);
            Artifact a = ctx.register(KIND, Judgement.toJsonl(out), meta, List.of(
                    new ArtifactEdge(pairsArtifactId, "pairs"), new ArtifactEdge(checkpointId, "judge-model")));
            return new ShardResult(shard, a.id(), pairs.size(), tooLong);
        }
    }

    /** Token ids of "a" and "b": the last token of "Output (a" / "Output (b"; they must differ and decode to a / b. */
    static int[] probeIds(ModelCheckpoints.Loaded m) {
        int[] a = m.tokenizer().encode(JudgePrompt.PROBE_A);
        int[] b = m.tokenizer().encode(JudgePrompt.PROBE_B);
        int ia = a[a.length - 1];
        int ib = b[b.length - 1];
        String da = m.tokenizer().decode(new int[] {ia});
        String db = m.tokenizer().decode(new int[] {ib});
        if (ia == ib || !da.strip().equals("a") || !db.strip().equals("b")) {
            throw new IllegalArgumentException("judge tokenizer " + m.dir() + " does not encode the answer letters as "
                    + "single tokens: last token of '" + JudgePrompt.PROBE_A + "' is " + ia + " ('" + da + "'), of '"
                    + JudgePrompt.PROBE_B + "' is " + ib + " ('" + db + "')");
        }
        return new int[] {ia, ib};
    }
}
