package salmonrun.activities.principles;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import salmonrun.activities.principles.SourceTree.Entry;
import salmonrun.activities.principles.SourceTree.ListNode;
import salmonrun.activities.principles.SourceTree.MapNode;
import salmonrun.activities.principles.SourceTree.Node;
import salmonrun.activities.principles.SourceTree.ScalarNode;

/** Reads typed fields out of a {@link SourceTree}, collecting every problem with its line instead of stopping. */
final class FieldReader {
    private final List<FormatProblem> problems = new ArrayList<>();

    List<FormatProblem> problems() {
        return problems;
    }

    void problem(int line, int column, String field, String message) {
        problems.add(new FormatProblem(line, column, field, message));
    }

    void problem(Node at, String field, String message) {
        problem(at.line(), at.column(), field, message);
    }

    /** The node as a mapping, or null after recording a problem. */
    MapNode map(Node node, String path) {
        if (node instanceof MapNode m) {
            return m;
        }
        problem(node, path, "expected a mapping of keys to values, found " + node.describe());
        return null;
    }

    /** Records every key not in {@code allowed}, with its line. */
    void allowOnly(MapNode m, String path, Set<String> allowed) {
        for (Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                problem(e.line(), e.column(), join(path, e.key()),
                        "unknown key '" + e.key() + "' (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    /** A non-blank string, stripped; null after recording a problem when missing, blank or not text. */
    String requiredText(MapNode m, String path, String key) {
        Entry e = m.entries().get(key);
        if (e == null) {
            problem(m, join(path, key), "missing (required)");
            return null;
        }
        return text(e, join(path, key));
    }

    /** Like {@link #requiredText} but absent (or null) is fine and yields null. */
    String optionalText(MapNode m, String path, String key) {
        Entry e = m.entries().get(key);
        if (e == null || (e.value() instanceof ScalarNode s && s.isNull())) {
            return null;
        }
        return text(e, join(path, key));
    }

    /** A finite number, or {@code fallback} when absent; null after recording a problem. */
    Double optionalNumber(MapNode m, String path, String key, double fallback) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return fallback;
        }
        String field = join(path, key);
        if (!(e.value() instanceof ScalarNode s) || !s.isNumber()) {
            problem(e.value(), field, "expected a number, found " + e.value().describe());
            return null;
        }
        double v;
        try {
            v = Double.parseDouble(s.text());
        } catch (NumberFormatException ex) {
            problem(e.value(), field, "not a number: " + s.text());
            return null;
        }
        if (!Double.isFinite(v)) {
            problem(e.value(), field, "must be a finite number, found " + s.text());
            return null;
        }
        return v;
    }

    /** A list, or null after recording a problem when missing or not a list. */
    ListNode requiredList(MapNode m, String path, String key) {
        Entry e = m.entries().get(key);
        if (e == null) {
            problem(m, join(path, key), "missing (required)");
            return null;
        }
        if (e.value() instanceof ListNode l) {
            return l;
        }
        problem(e.value(), join(path, key), "expected a list, found " + e.value().describe());
        return null;
    }

    /** The line of {@code key} in {@code m} (the key's own line), or the mapping's line when absent. */
    static int lineOf(MapNode m, String key) {
        Entry e = m.entries().get(key);
        return e == null ? m.line() : e.value().line();
    }

    static int columnOf(MapNode m, String key) {
        Entry e = m.entries().get(key);
        return e == null ? m.column() : e.value().column();
    }

    static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    private String text(Entry e, String field) {
        if (!(e.value() instanceof ScalarNode s) || !s.isString()) {
            problem(e.value(), field, "expected text, found " + e.value().describe()
                    + (e.value() instanceof ScalarNode ? " (quote it to make it text)" : ""));
            return null;
        }
        String v = s.text().strip();
        if (v.isEmpty()) {
            problem(e.value(), field, "must not be empty");
            return null;
        }
        return v;
    }
}
