package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.activities.lineage.Artifact;

/**
 * Which shards an execution has already registered, so a retried attempt skips them. Every shard artifact
 * carries in its metadata the map shard index -> artifact id of the shards registered before it by the
 * same execution; the newest one therefore knows them all.
 */
final class ShardLedger {
    private ShardLedger() {}

    /** Shard index -> artifact id of the shards this execution has registered. */
    static Map<Integer, Long> completed(PhaseContext ctx, String kind) {
        Map<Integer, Long> done = new TreeMap<>();
        ctx.lineage().newestArtifact(ctx.executionId(), kind).ifPresent(a -> {
            a.metadata().path("earlier_shards").fields()
                    .forEachRemaining(e -> done.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            done.put(a.metadata().get("shard").asInt(), a.id());
        });
        return done;
    }

    /** Adds shard bookkeeping to a shard artifact's metadata. */
    static ObjectNode annotate(ObjectNode meta, int shard, int shards, Map<Integer, Long> earlier) {
        meta.put("shard", shard);
        meta.put("shards", shards);
        ObjectNode e = meta.putObject("earlier_shards");
        earlier.forEach((k, v) -> {
            if (k != shard) {
                e.put(Integer.toString(k), v);
            }
        });
        return meta;
    }

    static int shardOf(Artifact a) {
        JsonNode s = a.metadata().get("shard");
        return s == null ? -1 : s.asInt();
    }
}
