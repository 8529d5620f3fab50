package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One filtered self-aligned answer: the engraving data ({@code self-align-data} artifact, JSON Lines). */
public record SelfAlignExample(long exampleId, Prompt prompt, String response, boolean finished) {

    /** Canonical JSON Lines. */
    public static byte[] toJsonl(List<SelfAlignExample> examples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SelfAlignExample e : examples) {
            ObjectNode o = SalmonJson.MAPPER.createObjectNode();
            o.put("example_id", e.exampleId());
            o.put("instruction", e.prompt().instruction());
            o.put("input", e.prompt().input());
            o.put("output", e.response());
            o.put("finished", e.finished());
            out.writeBytes(SalmonJson.bytes(o));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Parses {@link #toJsonl}. */
    public static List<SelfAlignExample> fromJsonl(byte[] bytes) {
        List<SelfAlignExample> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode n = SalmonJson.tree(line.getBytes(StandardCharsets.UTF_8));
                out.add(new SelfAlignExample(n.get("example_id").asLong(),
                        new Prompt(n.get("instruction").asText(), n.path("input").asText(""), null, null),
                        n.get("output").asText(), n.get("finished").asBoolean()));
            }
        }
        return out;
    }
}
