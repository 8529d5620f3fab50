package salmonrun.activities.principles;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import salmonrun.activities.principles.SetFiles.PrincipleSetFile;
import salmonrun.activities.principles.SourceTree.ListNode;
import salmonrun.activities.principles.SourceTree.MapNode;

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

        SetSection<Principle> section = SetSection.read(r, list, "principles", "a principle set needs at least one principle",
                PRINCIPLE_KEYS, (m, path) -> {
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
                    // A mistyped weight is null (and reported): the entry is dropped, so do not unbox it.
                    return weight == null ? null : new Principle(pName, definition, negative, weight, role);
                });
        boolean structureOk = r.problems().isEmpty();
        for (PrincipleRules.Violation v : PrincipleRules.check(name == null ? "?" : name, section.entries())) {
            section.report(root, structureOk, v.index(), v.field(), v.message());
        }
        if (!r.problems().isEmpty()) {
            throw SetFiles.fail(source, r.problems());
        }
        return new PrincipleSetFile(source, PrincipleSet.of(name, section.entries()), note);
    }
}
