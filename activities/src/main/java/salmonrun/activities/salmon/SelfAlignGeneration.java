package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * P2 outputs: a {@code self-align-shard} is canonical JSON Lines of raw generations (what the base model
 * wrote after {@code ### {assistant} (internal thoughts)}) for one contiguous slice of the pool.
 */
public final class SelfAlignGeneration {
    /** Kind of a shard artifact. */
    public static final String KIND = "self-align-shard";

    /** One raw generation; {@code promptIdx} is the prompt's position in the pool. */
    public record Output(int promptIdx, Prompt prompt, String output) {}

    private SelfAlignGeneration() {}

    /** The pool positions of shard {@code index} of {@code count}: contiguous, sizes differing by at most one. */
    public static int[] shardRange(int poolSize, int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist");
        }
        int from = (int) ((long) poolSize * index / count);
        int to = (int) ((long) poolSize * (index + 1) / count);
        return new int[] {from, to};
    }

    public static byte[] toJsonl(List<Output> outputs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Output o : outputs) {
            ObjectNode n = SalmonJson.MAPPER.createObjectNode();
            n.put("prompt_idx", o.promptIdx());
            n.put("instruction", o.prompt().instruction());
            n.put("input", o.prompt().input());
            n.put("output", o.output());
            out.writeBytes(SalmonJson.bytes(n));
            out.write('\n');
        }
        return out.toByteArray();
    }

    public static List<Output> readShard(byte[] bytes) {
        List<Output> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode n = SalmonJson.tree(line.getBytes(StandardCharsets.UTF_8));
                out.add(new Output(n.get("prompt_idx").asInt(),
                        new Prompt(n.get("instruction").asText(), n.path("input").asText(""), null, null),
                        n.get("output").asText()));
            }
        }
        return out;
    }
}
