package salmonrun.activities.salmon;

import salmonrun.activities.principles.Principle;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Prompt format 4 (docs/prompt-formats.md): the instructable reward model's input. The response comes
 * before the instruction, principles appear by definition only, and the reward is read at the last token
 * of the fixed tail ("... The quality of the response is").
 *
 * <p>Token-level assembly encodes the four pieces separately (fixed head, response, fixed separator plus
 * instruction, criteria plus fixed tail) so the tail is always the same token ids wherever the reward is
 * read. When the sequence is too long the response is cut first (keeping its beginning), then the
 * instruction (keeping its end, as the reference truncates queries on the left); the criteria and the tail
 * are never cut. Batches are left-padded so that every sequence ends at the last column.
 */
public final class RewardModelPrompt {
    static final String HEAD = "# Review\n\n## Response\n";
    static final String INSTRUCTION_HEADER = "\n\n## Instruction\n";
    static final String CRITERIA_HEADER = "\n\n## Criteria\n";
    static final String TAIL = "A good response meets every criterion above.\n\n## Verdict\nThe quality of the response is";

    private RewardModelPrompt() {}

    /** The text of one criterion line: the principle's definition, or its negative definition when negated. */
    public static String criterionText(Principle principle, boolean negated) {
        String text = negated ? principle.negativeDefinition() : principle.definition();
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("principle '" + principle.name() + "' has no "
                    + (negated ? "negative definition" : "definition") + " to show the reward model");
        }
        return text.strip();
    }

    /** The definitions of the given principles, in order (none negated). */
    public static List<String> definitions(List<Principle> principles) {
        return principles.stream().map(p -> criterionText(p, false)).toList();
    }

    /** The full prompt text, untruncated. */
    public static String render(String response, String instruction, List<String> criteria) {
        return HEAD + response + INSTRUCTION_HEADER + instruction + criteriaBlock(criteria);
    }

    private static String criteriaBlock(List<String> criteria) {
        if (criteria.isEmpty()) {
            throw new IllegalArgumentException("the reward model needs at least one criterion");
        }
        StringBuilder sb = new StringBuilder(CRITERIA_HEADER);
        for (String c : criteria) {
            if (c.contains("\n")) {
                throw new IllegalArgumentException("criterion must be one line: " + c);
            }
            sb.append("- ").append(c).append('\n');
        }
        return sb.append(TAIL).toString();
    }

    /** Token budgets: total length, and separate caps on instruction and response (reference: 1280/128/768). */
    public record Limits(int maxTokens, int maxInstructionTokens, int maxResponseTokens) {
        public Limits {
            if (maxTokens <= 0 || maxInstructionTokens < 0 || maxResponseTokens < 0) {
                throw new IllegalArgumentException("token limits must be positive: " + maxTokens + "/"
                        + maxInstructionTokens + "/" + maxResponseTokens);
            }
        }
    }

    /** One encoded prompt and what had to be cut to fit. */
    public record Encoded(int[] ids, int responseTokensDropped, int instructionTokensDropped) {
        public boolean truncated() {
            return responseTokensDropped > 0 || instructionTokensDropped > 0;
        }
    }

    /**
     * Encodes a prompt within the limits. {@code encoder} turns text into token ids without adding special
     * tokens. Throws when even an empty response and instruction would not fit (criteria too long).
     */
    public static Encoded encode(Function<String, int[]> encoder, String response, String instruction,
                                 List<String> criteria, Limits limits) {
        Objects.requireNonNull(encoder, "encoder");
        int[] head = encoder.apply(HEAD);
        int[] resp = encoder.apply(response);
        int[] instHeader = encoder.apply(INSTRUCTION_HEADER);
        int[] inst = encoder.apply(instruction);
        int[] tail = encoder.apply(criteriaBlock(criteria));
        int fixed = head.length + instHeader.length + tail.length;
        if (fixed > limits.maxTokens()) {
            throw new IllegalArgumentException("reward-model prompt: the criteria and fixed text take " + fixed
                    + " tokens, more than maxTokens=" + limits.maxTokens() + "; use fewer or shorter principles");
        }
        int respKeep = Math.min(resp.length, limits.maxResponseTokens());
        int instKeep = Math.min(inst.length, limits.maxInstructionTokens());
        int over = fixed + respKeep + instKeep - limits.maxTokens();
        if (over > 0) {
            int cut = Math.min(over, respKeep);
            respKeep -= cut;
            over -= cut;
        }
        if (over > 0) {
            instKeep -= over;
        }
        int[] out = new int[fixed + respKeep + instKeep];
        int pos = 0;
        pos = put(out, pos, head, 0, head.length);
        pos = put(out, pos, resp, 0, respKeep);                         // keep the response's beginning
        pos = put(out, pos, instHeader, 0, instHeader.length);
        pos = put(out, pos, inst, inst.length - instKeep, instKeep);    // keep the instruction's end
        put(out, pos, tail, 0, tail.length);
        return new Encoded(out, resp.length - respKeep, inst.length - instKeep);
    }

    private static int put(int[] dst, int pos, int[] src, int from, int len) {
        System.arraycopy(src, from, dst, pos, len);
        return pos + len;
    }

    /** A left-padded batch: ids and attention mask, both [batch][length]; every row ends at column length-1. */
    public record PaddedBatch(int[][] ids, int[][] mask) {
        public int size() {
            return ids.length;
        }

        public int length() {
            return ids.length == 0 ? 0 : ids[0].length;
        }
    }

    /** Left-pads sequences to the longest one with {@code padId}. */
    public static PaddedBatch leftPad(List<int[]> sequences, int padId) {
        int len = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        int[][] ids = new int[sequences.size()][len];
        int[][] mask = new int[sequences.size()][len];
        for (int b = 0; b < sequences.size(); b++) {
            int[] s = sequences.get(b);
            if (s.length == 0) {
                throw new IllegalArgumentException("sequence " + b + " is empty");
            }
            int offset = len - s.length;
            Arrays.fill(ids[b], 0, offset, padId);
            System.arraycopy(s, 0, ids[b], offset, s.length);
            Arrays.fill(mask[b], offset, len, 1);
        }
        return new PaddedBatch(ids, mask);
    }
}
