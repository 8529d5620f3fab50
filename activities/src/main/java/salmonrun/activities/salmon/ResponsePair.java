package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Two sampled answers to one prompt; {@code exampleIdx} is the position after the seeded shuffle and is
 * the key the judgements and the preference dataset refer to ({@code response-pairs}, JSON Lines).
 */
public record ResponsePair(int exampleIdx, Prompt prompt, String output1, String output2) {

    /** One sampled generation for a prompt. */
    public record Sample(Prompt prompt, String generation) {}

    /**
     * The reference's pairing: sort both sample lists by instruction (then input, then position), zip,
     * truncate each generation at its first {@code ###} and strip, drop pairs where either is shorter
     * than {@code minChars} (reference 16), shuffle with {@code new Random(seed)} (Fisher-Yates from the
     * end, the algorithm {@link java.util.Collections#shuffle} specifies), number by position.
     */
    public static List<ResponsePair> pair(List<Sample> first, List<Sample> second, int minChars, long seed) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException("sample lists differ in size: " + first.size() + " vs " + second.size());
        }
        List<Sample> a = sorted(first);
        List<Sample> b = sorted(second);
        List<ResponsePair> kept = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            Prompt pa = a.get(i).prompt();
            Prompt pb = b.get(i).prompt();
            if (!pa.instruction().equals(pb.instruction()) || !pa.input().equals(pb.input())) {
                throw new IllegalArgumentException("sample lists hold different prompts at sorted position " + i
                        + ": '" + pa.instruction() + "' vs '" + pb.instruction() + "'");
            }
            String o1 = truncate(a.get(i).generation());
            String o2 = truncate(b.get(i).generation());
            if (o1.length() >= minChars && o2.length() >= minChars) {
                kept.add(new ResponsePair(-1, pa, o1, o2));
            }
        }
        Random rng = new Random(seed);
        for (int i = kept.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            ResponsePair t = kept.get(i);
            kept.set(i, kept.get(j));
            kept.set(j, t);
        }
        List<ResponsePair> out = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            ResponsePair p = kept.get(i);
            out.add(new ResponsePair(i, p.prompt(), p.output1(), p.output2()));
        }
        return out;
    }

    /** Cuts a generation at its first {@code ###} (the next turn) and strips it. */
    public static String truncate(String generation) {
        int at = generation.indexOf("###");
        return (at < 0 ? generation : generation.substring(0, at)).strip();
    }

    private static List<Sample> sorted(List<Sample> samples) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            idx.add(i);
        }
        idx.sort(Comparator.<Integer, String>comparing(i -> samples.get(i).prompt().instruction())
                .thenComparing(i -> samples.get(i).prompt().input())
                .thenComparing(i -> i));
        return idx.stream().map(samples::get).toList();
    }

    /** Canonical JSON Lines. */
    public static byte[] toJsonl(List<ResponsePair> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ResponsePair p : pairs) {
            ObjectNode o = SalmonJson.MAPPER.createObjectNode();
            o.put("example_idx", p.exampleIdx());
            o.put("instruction", p.prompt().instruction());
            o.put("input", p.prompt().input());
            if (p.prompt().questionType() != null) {
                o.put("question_type", p.prompt().questionType());
            }
            o.put("output_1", p.output1());
            o.put("output_2", p.output2());
            out.writeBytes(SalmonJson.bytes(o));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Parses {@link #toJsonl}. */
    public static List<ResponsePair> fromJsonl(byte[] bytes) {
        List<ResponsePair> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode n = SalmonJson.tree(line.getBytes(StandardCharsets.UTF_8));
                out.add(new ResponsePair(n.get("example_idx").asInt(),
                        new Prompt(n.get("instruction").asText(), n.path("input").asText(""),
                                n.hasNonNull("question_type") ? n.get("question_type").asInt() : null, null),
                        n.get("output_1").asText(), n.get("output_2").asText()));
            }
        }
        return out;
    }
}
