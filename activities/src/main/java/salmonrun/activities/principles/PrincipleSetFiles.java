package salmonrun.activities.principles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import salmonrun.activities.principles.SetFiles.PrincipleSetFile;
import salmonrun.activities.principles.SourceTree.ListNode;
import salmonrun.activities.principles.SourceTree.MapNode;
import salmonrun.activities.principles.SourceTree.Node;

/** Reads principle-set files (format in principles/README.md) into validated {@link PrincipleSet}s. */
public final class PrincipleSetFiles {
    private static final Set<String> PRINCIPLE_KEYS =
            Set.of("name", "role", "definition", "negative_definition", "weight");
    private static final String ROLES = Arrays.stream(Role.values()).map(Role::dbName)
            .collect(Collectors.joining(", "));

    private PrincipleSetFiles() {}

    /** Reads a principle-set file; the set has its content hash and no id. */
    public static PrincipleSet read(Path file) {
        return readFile(file).set();
    }

    /** Reads a principle-set file, keeping its note. */
    public static PrincipleSetFile readFile(Path file) {
        return expect(SetFiles.read(file));
    }

    /** Parses principle-set text; {@code source} names it in error messages. */
    public static PrincipleSet parse(String source, String text, boolean json) {
        return expect(SetFiles.parse(source, text, json)).set();
    }

    private static PrincipleSetFile expect(SetFiles.SetFile f) {
        if (f instanceof PrincipleSetFile p) {
            return p;
        }
        throw new PrincipleSetFormatException(f.source(), new FormatProblem(0, 0, "kind",
                "expected a " + SetFiles.PRINCIPLE_SET_KIND + " file, this is an " + SetFiles.EXEMPLAR_SET_KIND));
    }

    static PrincipleSetFile fromTree(String source, MapNode root) {
        FieldReader r = new FieldReader();
        r.allowOnly(root, "", SetFiles.topKeys("principles"));
        String name = r.requiredText(root, "", "name");
        String note = r.optionalText(root, "", "note");
        ListNode list = r.requiredList(root, "", "principles");

        List<Principle> principles = new ArrayList<>();
        List<MapNode> nodes = new ArrayList<>();
        List<Integer> fileIndexes = new ArrayList<>();
        if (list != null) {
            if (list.items().isEmpty()) {
                r.problem(list, "principles", "a principle set needs at least one principle");
            }
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                String path = "principles[" + (i + 1) + "]";
                MapNode m = r.map(item, path);
                if (m == null) {
                    continue;
                }
                r.allowOnly(m, path, PRINCIPLE_KEYS);
                // Unknown keys do not stop the rule checks below; missing or mistyped fields do.
                int before = r.problems().size();
                String pName = r.requiredText(m, path, "name");
                String roleText = r.requiredText(m, path, "role");
                Role role = roleText == null ? null : Role.fromDbName(roleText);
                if (roleText != null && role == null) {
                    r.problem(FieldReader.lineOf(m, "role"), FieldReader.columnOf(m, "role"), path + ".role",
                            "unknown role '" + roleText + "' (expected one of " + ROLES + ")");
                }
                String definition = r.requiredText(m, path, "definition");
                String negative = r.optionalText(m, path, "negative_definition");
                Double weight = r.optionalNumber(m, path, "weight", 1.0);
                if (r.problems().size() == before) {
                    principles.add(new Principle(pName, definition, negative, weight, role));
                    nodes.add(m);
                    fileIndexes.add(i + 1);
                }
            }
        }
        boolean structureOk = r.problems().isEmpty();
        for (PrincipleRules.Violation v : PrincipleRules.check(name == null ? "?" : name, principles)) {
            if (v.index() < 0) {
                if (structureOk) {
                    r.problem(root, v.field(), v.message());
                }
                continue;
            }
            // Report by the position in the file, not among the entries that parsed.
            MapNode m = nodes.get(v.index());
            int fileIndex = fileIndexes.get(v.index());
            r.problem(FieldReader.lineOf(m, v.field()), FieldReader.columnOf(m, v.field()),
                    "principles[" + fileIndex + "]." + v.field(), v.message());
        }
        if (!r.problems().isEmpty()) {
            throw SetFiles.fail(source, r.problems());
        }
        return new PrincipleSetFile(source, PrincipleSet.of(name, principles), note);
    }
}
