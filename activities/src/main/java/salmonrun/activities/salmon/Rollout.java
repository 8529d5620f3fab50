package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One scored PPO rollout as stored in a {@code rollouts} artifact (JSON Lines): the prompt, the sampled
 * response, the principles the reward model was given (in order), and every term of the reward.
 *
 * @param step              0-based PPO step
 * @param promptIndex       index in the prompt pool
 * @param instruction       the bare user turn the reward model saw
 * @param questionType      prompt type (0 general, 1 reasoning, 2 red-teaming)
 * @param principles        principle names shown to the reward model, intervention ones first
 * @param response          the response text (cut at the end-of-turn marker)
 * @param finished          whether the end-of-turn marker was produced
 * @param responseTokens    sampled tokens counted by the length bonus
 * @param rmScore           the reward model's scalar
 * @param lengthBonus       the symbolic length term
 * @param unfinishedPenalty the symbolic penalty (0 when finished)
 * @param klSum             sum over tokens of the KL estimate to the reference
 */
public record Rollout(int step, int promptIndex, String instruction, int questionType, List<String> principles,
                      String response, boolean finished, int responseTokens, double rmScore, double lengthBonus,
                      double unfinishedPenalty, double klSum) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Rollout {
        principles = List.copyOf(principles);
    }

    /** Score before KL shaping: RM score plus the symbolic terms. */
    public double score() {
        return rmScore + lengthBonus + unfinishedPenalty;
    }

    /** JSON Lines, one rollout per line, fields in a fixed order. */
    public static byte[] toJsonl(List<Rollout> rollouts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Rollout r : rollouts) {
            ObjectNode o = JSON.createObjectNode();
            o.put("step", r.step);
            o.put("prompt_index", r.promptIndex);
            o.put("instruction", r.instruction);
            o.put("question_type", r.questionType);
            o.set("principles", JSON.valueToTree(r.principles));
            o.put("response", r.response);
            o.put("finished", r.finished);
            o.put("response_tokens", r.responseTokens);
            o.put("rm_score", r.rmScore);
            o.put("length_bonus", r.lengthBonus);
            o.put("unfinished_penalty", r.unfinishedPenalty);
            o.put("score", r.score());
            o.put("kl_sum", r.klSum);
            out.writeBytes(o.toString().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Parses {@link #toJsonl}; errors name the line. */
    public static List<Rollout> fromJsonl(byte[] bytes) {
        List<Rollout> out = new ArrayList<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(lines[i]);
                List<String> principles = new ArrayList<>();
                n.get("principles").forEach(p -> principles.add(p.asText()));
                out.add(new Rollout(n.get("step").asInt(), n.get("prompt_index").asInt(), n.get("instruction").asText(),
                        n.get("question_type").asInt(), principles, n.get("response").asText(),
                        n.get("finished").asBoolean(), n.get("response_tokens").asInt(), n.get("rm_score").asDouble(),
                        n.get("length_bonus").asDouble(), n.get("unfinished_penalty").asDouble(),
                        n.get("kl_sum").asDouble()));
            } catch (Exception e) {
                throw new IllegalArgumentException("rollouts line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
