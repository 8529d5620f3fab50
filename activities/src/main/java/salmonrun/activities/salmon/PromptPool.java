package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * A cleaned prompt pool: prompts whose user turn is {@code minTokens..maxTokens} tokens long, exact
 * duplicates (same instruction and input) removed keeping the first, in source order. Its file form is
 * canonical JSON Lines that {@link PromptFileReader} reads back.
 */
public record PromptPool(List<Prompt> prompts, int tooShort, int tooLong, int duplicates) {

    public PromptPool {
        prompts = List.copyOf(prompts);
    }

    /** Token-length filter then exact-duplicate removal, as the reference's cleaning step. */
    public static PromptPool clean(List<Prompt> raw, ToIntFunction<String> tokenCount, int minTokens, int maxTokens) {
        if (minTokens < 0 || maxTokens < minTokens) {
            throw new IllegalArgumentException("need 0 <= minTokens <= maxTokens, got " + minTokens + ".." + maxTokens);
        }
        List<Prompt> kept = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int shortCount = 0;
        int longCount = 0;
        int dupCount = 0;
        for (Prompt p : raw) {
            int n = tokenCount.applyAsInt(p.userTurn());
            if (n < minTokens) {
                shortCount++;
            } else if (n > maxTokens) {
                longCount++;
            } else if (!seen.add(p.instruction() + '\u0000' + p.input())) {
                dupCount++;
            } else {
                kept.add(p);
            }
        }
        return new PromptPool(kept, shortCount, longCount, dupCount);
    }

    /** Canonical JSON Lines, one prompt per line, absent tags omitted. */
    public byte[] toJsonl() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Prompt p : prompts) {
            ObjectNode o = SalmonJson.MAPPER.createObjectNode();
            o.put("instruction", p.instruction());
            o.put("input", p.input());
            if (p.questionType() != null) {
                o.put("question_type", p.questionType());
            }
            if (p.lengthBonus() != null) {
                o.put("length_bonus", p.lengthBonus());
            }
            out.writeBytes(SalmonJson.bytes(o));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Parses the canonical JSON Lines form. */
    public static List<Prompt> fromJsonl(byte[] bytes) {
        List<Prompt> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = SalmonJson.tree(line.getBytes(StandardCharsets.UTF_8));
            out.add(new Prompt(n.get("instruction").asText(), n.path("input").asText(""),
                    n.hasNonNull("question_type") ? n.get("question_type").asInt() : null,
                    n.hasNonNull("length_bonus") ? n.get("length_bonus").asDouble() : null));
        }
        return out;
    }
}
