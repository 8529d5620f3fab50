package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The judge's two scores for one pair under one principle: {@code s12} = logit(a) - logit(b) with the
 * pair in order (o1, o2), {@code s21} = logit(b) - logit(a) with (o2, o1). Both positive means o1 wins in
 * both orders. ({@code judgement-shard} artifacts are JSON Lines of these.)
 */
public record Judgement(int exampleIdx, String dimension, double s12, double s21) {

    /** The reference's {@code prompt_preference}: 1 if both orders prefer o1, 2 if both prefer o2, else 0. */
    public int consistentPreference() {
        if (s12 > 0 && s21 > 0) {
            return 1;
        }
        if (s12 < 0 && s21 < 0) {
            return 2;
        }
        return 0;
    }

    /** Canonical JSON Lines; scores with 12 significant digits. */
    public static byte[] toJsonl(List<Judgement> judgements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Judgement j : judgements) {
            ObjectNode o = SalmonJson.MAPPER.createObjectNode();
            o.put("example_idx", j.exampleIdx());
            o.put("dimension", j.dimension());
            o.put("prompt_preference", j.consistentPreference());
            o.putArray("relative_score").add(SalmonJson.decimal(j.s12())).add(SalmonJson.decimal(j.s21()));
            out.writeBytes(SalmonJson.bytes(o));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Parses {@link #toJsonl}. */
    public static List<Judgement> fromJsonl(byte[] bytes) {
        List<Judgement> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode n = SalmonJson.tree(line.getBytes(StandardCharsets.UTF_8));
                JsonNode s = n.get("relative_score");
                out.add(new Judgement(n.get("example_idx").asInt(), n.get("dimension").asText(),
                        s.get(0).asDouble(), s.get(1).asDouble()));
            }
        }
        return out;
    }
}
