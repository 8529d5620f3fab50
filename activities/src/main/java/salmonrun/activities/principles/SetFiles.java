package salmonrun.activities.principles;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import salmonrun.activities.principles.SourceTree.MapNode;
import salmonrun.activities.principles.SourceTree.Node;
import salmonrun.activities.principles.SourceTree.ScalarNode;
import salmonrun.activities.principles.SourceTree.Syntax;

/**
 * Reads a principle-set or exemplar-set file (YAML, or JSON for {@code *.json}; format in
 * principles/README.md), deciding which by its {@code kind} key. Invalid input throws
 * {@link PrincipleSetFormatException} listing every problem with its line.
 */
public final class SetFiles {
    /** The {@code kind} of a principle-set file. */
    public static final String PRINCIPLE_SET_KIND = "principle-set";
    /** The {@code kind} of an exemplar-set file. */
    public static final String EXEMPLAR_SET_KIND = "exemplar-set";

    private SetFiles() {}

    /** A parsed, valid set file: a principle set or an exemplar set, with the file's optional note. */
    public sealed interface SetFile permits PrincipleSetFile, ExemplarSetFile {
        /** Where it was read from. */
        String source();

        /** The file's {@code note}, or null. */
        String note();

        /** The set's name. */
        String name();

        /** The set's content hash. */
        String contentHash();
    }

    /** A valid principle-set file. */
    public record PrincipleSetFile(String source, PrincipleSet set, String note) implements SetFile {
        public String name() {
            return set.name();
        }

        public String contentHash() {
            return set.contentHash();
        }
    }

    /** A valid exemplar-set file. */
    public record ExemplarSetFile(String source, ExemplarSet set, String note) implements SetFile {
        public String name() {
            return set.name();
        }

        public String contentHash() {
            return set.contentHash();
        }
    }

    /** Reads and validates a file; YAML unless the name ends in {@code .json}. */
    public static SetFile read(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new PrincipleSetFormatException(source, new FormatProblem(0, 0, "", "no such file"));
        } catch (CharacterCodingException e) {
            throw new PrincipleSetFormatException(source, new FormatProblem(0, 0, "", "not valid UTF-8 text"));
        } catch (IOException e) {
            throw new PrincipleSetFormatException(source, new FormatProblem(0, 0, "", "cannot read: " + e));
        }
        return parse(source, text, Syntax.forName(file.getFileName().toString()) == Syntax.JSON);
    }

    /** Parses and validates text; {@code source} names it in messages. */
    public static SetFile parse(String source, String text, boolean json) {
        Node root = SourceTree.parse(source, text, json ? Syntax.JSON : Syntax.YAML);
        FieldReader r = new FieldReader();
        MapNode map = r.map(root, "");
        if (map == null) {
            throw fail(source, r.problems());
        }
        var kindEntry = map.entries().get("kind");
        String kind = kindEntry != null && kindEntry.value() instanceof ScalarNode s && s.isString()
                ? s.text().strip() : null;
        if (PRINCIPLE_SET_KIND.equals(kind)) {
            return PrincipleSetFiles.fromTree(source, map);
        }
        if (EXEMPLAR_SET_KIND.equals(kind)) {
            return ExemplarSetFiles.fromTree(source, map);
        }
        int line = kindEntry == null ? map.line() : kindEntry.line();
        int column = kindEntry == null ? map.column() : kindEntry.column();
        String found = kindEntry == null ? "it is missing" : "found " + kindEntry.value().describe();
        throw new PrincipleSetFormatException(source, new FormatProblem(line, column, "kind",
                "must be '" + PRINCIPLE_SET_KIND + "' or '" + EXEMPLAR_SET_KIND + "', " + found));
    }

    /** The top-level keys every set file may have besides its list. */
    static Set<String> topKeys(String listKey) {
        return Set.of("kind", "name", "note", listKey);
    }

    /** The exception for these problems, sorted by line. */
    static PrincipleSetFormatException fail(String source, List<FormatProblem> problems) {
        return new PrincipleSetFormatException(source, problems.stream()
                .sorted(Comparator.comparingInt(FormatProblem::line).thenComparingInt(FormatProblem::column))
                .toList());
    }
}
