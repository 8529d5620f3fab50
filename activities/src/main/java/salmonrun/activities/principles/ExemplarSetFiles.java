package salmonrun.activities.principles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import salmonrun.activities.principles.SetFiles.ExemplarSetFile;
import salmonrun.activities.principles.SourceTree.ListNode;
import salmonrun.activities.principles.SourceTree.MapNode;
import salmonrun.activities.principles.SourceTree.Node;

/** Reads exemplar-set files (format in principles/README.md) into validated {@link ExemplarSet}s. */
public final class ExemplarSetFiles {
    private static final Set<String> EXEMPLAR_KEYS = Set.of("instruction", "internal_thoughts", "response");

    private ExemplarSetFiles() {}

    /** Reads an exemplar-set file; the set has its content hash and no id. */
    public static ExemplarSet read(Path file) {
        return readFile(file).set();
    }

    /** Reads an exemplar-set file, keeping its note. */
    public static ExemplarSetFile readFile(Path file) {
        return expect(SetFiles.read(file));
    }

    /** Parses exemplar-set text; {@code source} names it in error messages. */
    public static ExemplarSet parse(String source, String text, boolean json) {
        return expect(SetFiles.parse(source, text, json)).set();
    }

    private static ExemplarSetFile expect(SetFiles.SetFile f) {
        if (f instanceof ExemplarSetFile e) {
            return e;
        }
        throw new PrincipleSetFormatException(f.source(), new FormatProblem(0, 0, "kind",
                "expected an " + SetFiles.EXEMPLAR_SET_KIND + " file, this is a " + SetFiles.PRINCIPLE_SET_KIND));
    }

    static ExemplarSetFile fromTree(String source, MapNode root) {
        FieldReader r = new FieldReader();
        r.allowOnly(root, "", SetFiles.topKeys("exemplars"));
        String name = r.requiredText(root, "", "name");
        String note = r.optionalText(root, "", "note");
        ListNode list = r.requiredList(root, "", "exemplars");

        List<Exemplar> exemplars = new ArrayList<>();
        List<MapNode> nodes = new ArrayList<>();
        List<Integer> fileIndexes = new ArrayList<>();
        if (list != null) {
            if (list.items().isEmpty()) {
                r.problem(list, "exemplars", "an exemplar set needs at least one exemplar");
            }
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                String path = "exemplars[" + (i + 1) + "]";
                MapNode m = r.map(item, path);
                if (m == null) {
                    continue;
                }
                r.allowOnly(m, path, EXEMPLAR_KEYS);
                // Unknown keys do not stop the rule checks below; missing or mistyped fields do.
                int before = r.problems().size();
                String instruction = r.requiredText(m, path, "instruction");
                String thoughts = r.requiredText(m, path, "internal_thoughts");
                String response = r.requiredText(m, path, "response");
                if (r.problems().size() == before) {
                    exemplars.add(new Exemplar(instruction, thoughts, response));
                    nodes.add(m);
                    fileIndexes.add(i + 1);
                }
            }
        }
        boolean structureOk = r.problems().isEmpty();
        for (ExemplarRules.Violation v : ExemplarRules.check(name == null ? "?" : name, exemplars)) {
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
                    "exemplars[" + fileIndex + "]." + v.field(), v.message());
        }
        if (!r.problems().isEmpty()) {
            throw SetFiles.fail(source, r.problems());
        }
        return new ExemplarSetFile(source, ExemplarSet.of(name, exemplars), note);
    }
}
