package salmonrun.activities.principles;

import java.nio.file.Path;
import java.util.Set;
import salmonrun.activities.principles.SetFiles.ExemplarSetFile;
import salmonrun.activities.principles.SourceTree.ListNode;
import salmonrun.activities.principles.SourceTree.MapNode;

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

        SetSection<Exemplar> section = SetSection.read(r, list, "exemplars", "an exemplar set needs at least one exemplar",
                EXEMPLAR_KEYS, (m, path) -> new Exemplar(r.requiredText(m, path, "instruction"),
                        r.requiredText(m, path, "internal_thoughts"), r.requiredText(m, path, "response")));
        boolean structureOk = r.problems().isEmpty();
        for (ExemplarRules.Violation v : ExemplarRules.check(name == null ? "?" : name, section.entries())) {
            section.report(root, structureOk, v.index(), v.field(), v.message());
        }
        if (!r.problems().isEmpty()) {
            throw SetFiles.fail(source, r.problems());
        }
        return new ExemplarSetFile(source, ExemplarSet.of(name, section.entries()), note);
    }
}
