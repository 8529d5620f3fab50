package salmonrun.activities.principles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.TestDatabases;
import salmonrun.activities.principles.PrincipleDiff.Change;
import salmonrun.activities.principles.PrincipleDiff.Kind;

/** Diff of the shipped default against an edited copy, from files and after a database round trip. */
class PrincipleDiffTest {
    static final Path DEFAULT_FILE = Path.of("..", "principles", "salmon-default.yaml");
    static Database db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabases.createFresh();
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabases.drop(db);
    }

    /** The default with one edit of every kind the diff reports. */
    static String edited(String text) {
        return replaceOnce(replaceOnce(replaceOnce(replaceOnce(replaceOnce(replaceOnce(replaceOnce(text,
                // reworded definition
                "definition: The answer is short and to the point, with no filler or repetition.",
                "definition: The answer is brief and free of filler."),
                // reworded negative definition
                "negative_definition: The answer is rude, curt or condescending.",
                "negative_definition: The answer is rude or dismissive."),
                // re-weighted
                "  - name: Candid\n    role: rl\n    weight: 4\n",
                "  - name: Candid\n    role: rl\n    weight: 2\n"),
                // removed
                "  - name: Lively\n    role: rl\n    weight: 1\n    definition: The response uses a warm and lively tone.\n",
                ""),
                // role changed
                "  - name: Self-Contained\n    role: rl\n",
                "  - name: Self-Contained\n    role: intervention\n"),
                // reordered: Clarify and Numerate swap places
                "  - name: Clarify\n    role: self_align\n    definition: If a request is too vague to answer well,"
                        + " ask one short question about what is meant.\n",
                ""),
                "  - name: Dated\n",
                "  - name: Clarify\n    role: self_align\n    definition: If a request is too vague to answer well,"
                        + " ask one short question about what is meant.\n  - name: Dated\n")
                // added
                + "  - name: No Filler\n    role: intervention\n    definition: The response has no filler.\n";
    }

    static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0, "exactly one occurrence of: " + from);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    static void assertExpectedChanges(PrincipleDiff diff) {
        List<String> summary = diff.changes().stream()
                .map(c -> c.kind() + " " + (c.name() == null ? c.fromRole().dbName() : c.name())).toList();
        assertEquals(List.of(
                "REMOVED Lively",
                "ADDED No Filler",
                "ROLE_CHANGED Self-Contained",
                "REWORDED Concise",
                "REWORDED Polite",
                "REWEIGHTED Candid",
                "REORDERED self_align"), summary, diff.render());
        Change role = diff.ofKind(Kind.ROLE_CHANGED).get(0);
        assertEquals(Role.RL, role.fromRole());
        assertEquals(Role.INTERVENTION, role.toRole());
        assertEquals("4 -> 2", diff.ofKind(Kind.REWEIGHTED).get(0).detail());
        assertEquals(Role.LABELLING, diff.ofKind(Kind.REWORDED).get(0).toRole());
        assertTrue(diff.ofKind(Kind.REWORDED).get(0).detail().startsWith("definition \"The answer is short"));
        assertTrue(diff.ofKind(Kind.REWORDED).get(1).detail().startsWith("negative_definition "));
        assertEquals("positions among the kept self_align principles: Numerate 11 -> 10, Clarify 10 -> 11",
                diff.ofKind(Kind.REORDERED).get(0).detail());
    }

    @Test
    void diffOfTheDefaultAgainstAnEditedCopyListsExactlyTheEdits() throws IOException {
        Path copy = dir.resolve("edited.yaml");
        Files.writeString(copy, edited(Files.readString(DEFAULT_FILE)));
        PrincipleSet a = PrincipleSetFiles.read(DEFAULT_FILE);
        PrincipleSet b = PrincipleSetFiles.read(copy);
        PrincipleDiff diff = PrincipleDiff.between(a, b);
        assertExpectedChanges(diff);
        String text = diff.render();
        assertTrue(text.contains("7 changes"), text);
        assertTrue(text.contains("+ added        intervention/No Filler: The response has no filler."), text);
        assertTrue(text.contains("- removed      rl/Lively"), text);
        assertTrue(text.contains("> role changed rl/Self-Contained: rl -> intervention"), text);
        assertTrue(text.contains("~ re-weighted  rl/Candid: 4 -> 2"), text);
    }

    @Test
    void storedVersionsDiffTheSameAsTheirFiles() throws IOException {
        Path copy = dir.resolve("edited.yaml");
        Files.writeString(copy, edited(Files.readString(DEFAULT_FILE)));
        PrincipleRepository repo = new PrincipleRepository(db);
        long a = repo.importSet(PrincipleSetFiles.read(DEFAULT_FILE), "test", null).id();
        ImportResult b = repo.importSet(PrincipleSetFiles.read(copy), "test", "edited");
        assertEquals(a, b.parentId(), "the edited copy is the next version of salmon-default");
        PrincipleDiff diff = PrincipleDiff.between(repo.find(a).orElseThrow(), repo.find(b.id()).orElseThrow());
        assertExpectedChanges(diff);
        assertTrue(diff.render().startsWith("--- salmon-default (id " + a + ") sha256:"), diff.render());
    }

    @Test
    void identicalSetsHaveNoChangesAndDiffIsSymmetricForAddRemove() {
        PrincipleSet d = DefaultPrinciples.principles();
        PrincipleDiff same = PrincipleDiff.between(d, d);
        assertTrue(same.isEmpty());
        assertTrue(same.render().contains("identical content"), same.render());

        PrincipleSet smaller = PrincipleSet.of(d.name(), d.principles().subList(0, d.principles().size() - 1));
        assertEquals(List.of(Kind.REMOVED), PrincipleDiff.between(d, smaller).changes().stream().map(Change::kind).toList());
        assertEquals(List.of(Kind.ADDED), PrincipleDiff.between(smaller, d).changes().stream().map(Change::kind).toList());
    }
}
