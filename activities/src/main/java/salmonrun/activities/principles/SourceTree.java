package salmonrun.activities.principles;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML/JSON document parsed into a tiny tree that remembers the line and column of every
 * node, so validation errors can point at the offending line (Jackson's own trees forget it).
 */
final class SourceTree {
    private SourceTree() {}

    /** Which parser reads the text. */
    enum Syntax {
        YAML, JSON;

        /** JSON for {@code *.json}, YAML otherwise. */
        static Syntax forName(String fileName) {
            return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? JSON : YAML;
        }
    }

    /** A node and where it starts. */
    sealed interface Node permits MapNode, ListNode, ScalarNode {
        int line();

        int column();

        /** What the node is, for messages such as "expected a string, found a list". */
        String describe();
    }

    /** A mapping; keys keep file order. */
    record MapNode(int line, int column, Map<String, Entry> entries) implements Node {
        public String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping, with the key's own position. */
    record Entry(String key, int line, int column, Node value) {}

    /** A sequence. */
    record ListNode(int line, int column, List<Node> items) implements Node {
        public String describe() {
            return "a list";
        }
    }

    /** A scalar: string, number, boolean or null, with the token that produced it. */
    record ScalarNode(int line, int column, JsonToken token, String text) implements Node {
        boolean isString() {
            return token == JsonToken.VALUE_STRING;
        }

        boolean isNumber() {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
        }

        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        public String describe() {
            return switch (token) {
                case VALUE_STRING -> "the text \"" + text + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text;
                case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text;
                case VALUE_NULL -> "nothing (null)";
                default -> text;
            };
        }
    }

    /** Parses one document; syntax errors, duplicate keys and extra documents become problems with a line. */
    static Node parse(String source, String text, Syntax syntax) {
        JsonFactory factory = syntax == Syntax.YAML ? new YAMLFactory() : new JsonFactory();
        String what = syntax == Syntax.YAML ? "malformed YAML" : "malformed JSON";
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new PrincipleSetFormatException(source, new FormatProblem(0, 0, "", "the file is empty"));
            }
            Node root = read(source, p);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new PrincipleSetFormatException(source, new FormatProblem(
                        line(at), column(at), "", "only one document is allowed per file"));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new PrincipleSetFormatException(source, new FormatProblem(
                    at == null ? 0 : line(at), at == null ? 0 : column(at), "",
                    what + ": " + compact(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new PrincipleSetFormatException(source, new FormatProblem(0, 0, "", what + ": " + e.getMessage()));
        }
    }

    private static Node read(String source, JsonParser p) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = line(at);
        int column = column(at);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    JsonLocation keyAt = p.currentTokenLocation();
                    String key = p.currentName();
                    p.nextToken();
                    Node value = read(source, p);
                    Entry previous = entries.get(key);
                    if (previous != null) {
                        throw new PrincipleSetFormatException(source, new FormatProblem(line(keyAt), column(keyAt),
                                key, "duplicate key (first given on line " + previous.line() + ")"));
                    }
                    entries.put(key, new Entry(key, line(keyAt), column(keyAt), value));
                }
                return new MapNode(line, column, entries);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(source, p));
                }
                return new ListNode(line, column, items);
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL:
                return new ScalarNode(line, column, t, p.getText());
            default:
                throw new PrincipleSetFormatException(source, new FormatProblem(line, column, "",
                        "unsupported content (" + t + ")"));
        }
    }

    private static int line(JsonLocation at) {
        return Math.max(at.getLineNr(), 0);
    }

    private static int column(JsonLocation at) {
        return Math.max(at.getColumnNr(), 0);
    }

    /** SnakeYAML messages interleave context lines and carets; keep only the sentences. */
    private static String compact(String message) {
        if (message == null) {
            return "unreadable";
        }
        List<String> kept = new ArrayList<>();
        for (String line : message.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                kept.add(line.strip());
            }
        }
        return kept.isEmpty() ? message.strip() : String.join("; ", kept);
    }
}
