package salmonrun.activities.salmon;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads prompt files in the reference pipeline's formats: a JSON array of objects, or JSON Lines (one
 * object per line). Fields: {@code instruction} (required, non-blank string), {@code input} (string),
 * {@code question_type} (0, 1 or 2), {@code length_bonus} (number); {@code output} and {@code example_id}
 * are accepted and ignored because the reference's merged files carry them. Anything else is an error
 * naming the file, the line and the field: a misspelt field must not silently drop data.
 */
public final class PromptFileReader {
    private static final Set<String> IGNORED = Set.of("output", "example_id");

    private PromptFileReader() {}

    /** Reads every prompt of a file, in file order. */
    public static List<Prompt> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PromptFileException(file + ": cannot read prompt file: " + e.getMessage(), e);
        }
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty()) {
            throw new PromptFileException(file + ": prompt file is empty");
        }
        return trimmed.startsWith("[") ? readArray(file, text) : readLines(file, text);
    }

    private static List<Prompt> readArray(Path file, String text) {
        List<Prompt> out = new ArrayList<>();
        try (JsonParser p = SalmonJson.MAPPER.createParser(text)) {
            p.nextToken(); // START_ARRAY
            while (true) {
                JsonToken t = p.nextToken();
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.END_ARRAY) {
                    break;
                }
                if (t == null) {
                    throw new PromptFileException(file + ": line " + line + ": unterminated JSON array");
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new PromptFileException(file + ": line " + line + ": expected a prompt object, found " + t);
                }
                JsonNode node = SalmonJson.MAPPER.readTree(p);
                out.add(toPrompt(file, line, node));
            }
            if (p.nextToken() != null) {
                throw new PromptFileException(file + ": line " + p.currentTokenLocation().getLineNr()
                        + ": unexpected content after the JSON array");
            }
        } catch (JsonProcessingException e) {
            throw new PromptFileException(file + ": line " + e.getLocation().getLineNr() + ": invalid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PromptFileException(file + ": cannot read prompt file: " + e.getMessage(), e);
        }
        return out;
    }

    private static List<Prompt> readLines(Path file, String text) {
        List<Prompt> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = SalmonJson.MAPPER.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new PromptFileException(file + ": line " + n + ": invalid JSON: " + e.getOriginalMessage(), e);
                }
                if (!node.isObject()) {
                    throw new PromptFileException(file + ": line " + n + ": expected a prompt object, found "
                            + node.getNodeType().name().toLowerCase());
                }
                out.add(toPrompt(file, n, node));
            }
        } catch (IOException e) {
            throw new PromptFileException(file + ": cannot read prompt file: " + e.getMessage(), e);
        }
        return out;
    }

    private static Prompt toPrompt(Path file, int line, JsonNode node) {
        String where = file + ": line " + line + ": ";
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("instruction") && !f.equals("input") && !f.equals("question_type")
                    && !f.equals("length_bonus") && !IGNORED.contains(f)) {
                throw new PromptFileException(where + "unknown field '" + f
                        + "' (allowed: instruction, input, question_type, length_bonus, output, example_id)");
            }
        }
        JsonNode instruction = node.get("instruction");
        if (instruction == null || instruction.isNull()) {
            throw new PromptFileException(where + "missing field 'instruction'");
        }
        if (!instruction.isTextual() || instruction.asText().isBlank()) {
            throw new PromptFileException(where + "field 'instruction' must be a non-blank string");
        }
        JsonNode input = node.get("input");
        if (input != null && !input.isNull() && !input.isTextual()) {
            throw new PromptFileException(where + "field 'input' must be a string");
        }
        Integer questionType = null;
        JsonNode qt = node.get("question_type");
        if (qt != null && !qt.isNull()) {
            if (!qt.isIntegralNumber() || qt.asInt() < 0 || qt.asInt() > 2) {
                throw new PromptFileException(where + "field 'question_type' must be 0, 1 or 2, got " + qt);
            }
            questionType = qt.asInt();
        }
        Double lengthBonus = null;
        JsonNode lb = node.get("length_bonus");
        if (lb != null && !lb.isNull()) {
            if (!lb.isNumber() || !Double.isFinite(lb.asDouble())) {
                throw new PromptFileException(where + "field 'length_bonus' must be a finite number, got " + lb);
            }
            lengthBonus = lb.asDouble();
        }
        return new Prompt(instruction.asText(), input == null || input.isNull() ? "" : input.asText(),
                questionType, lengthBonus);
    }
}
