package salmonrun.activities.principles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and validation of set files on real files; every message must name file, line and field. */
class SetFilesTest {
    static final String VALID = """
            kind: principle-set
            name: tiny
            note: for tests
            principles:
              - name: Brief
                role: self_align
                definition: Keep it short.
              - name: Brief
                role: labelling
                definition: The answer is short.
                negative_definition: The answer is long.
              - name: Honest
                role: rl
                weight: 3
                definition: The response is true.
            """;

    @TempDir
    Path dir;

    Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    PrincipleSetFormatException bad(String name, String text) throws IOException {
        Path f = file(name, text);
        PrincipleSetFormatException e = assertThrows(PrincipleSetFormatException.class, () -> SetFiles.read(f));
        assertEquals(f.toString(), e.source());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    static FormatProblem only(PrincipleSetFormatException e) {
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @Test
    void readsAValidYamlSetWithItsHashAndNote() throws IOException {
        SetFiles.SetFile f = SetFiles.read(file("tiny.yaml", VALID));
        SetFiles.PrincipleSetFile p = assertInstanceOf(SetFiles.PrincipleSetFile.class, f);
        assertEquals("for tests", p.note());
        assertEquals(3, p.set().principles().size());
        assertEquals(new Principle("Honest", "The response is true.", null, 3.0, Role.RL), p.set().principles().get(2));
        assertEquals(1.0, p.set().principles().get(0).weight(), "weight defaults to 1");
        assertEquals(ContentHashes.principleSetHash("tiny", p.set().principles()), p.set().contentHash());
    }

    @Test
    void jsonAndYamlOfTheSameContentHashAlikeAndTheNoteIsNotContent() throws IOException {
        String json = """
                {"kind": "principle-set", "name": "tiny", "principles": [
                  {"name": "Brief", "role": "self_align", "definition": "  Keep it short.  ", "weight": 1.0},
                  {"name": "Brief", "role": "labelling", "definition": "The answer is short.",
                   "negative_definition": "The answer is long."},
                  {"name": "Honest", "role": "rl", "weight": 3, "definition": "The response is true."}]}
                """;
        assertEquals(PrincipleSetFiles.read(file("a.yaml", VALID)).contentHash(),
                PrincipleSetFiles.read(file("a.json", json)).contentHash());
        String reworded = VALID.replace("Keep it short.", "Keep it brief.");
        assertNotEquals(PrincipleSetFiles.read(file("a.yaml", VALID)).contentHash(),
                PrincipleSetFiles.read(file("b.yaml", reworded)).contentHash());
    }

    @Test
    void malformedYamlNamesTheLine() throws IOException {
        String text = VALID.replace("    definition: Keep it short.", "    definition: \"Keep it short.");
        FormatProblem p = only(bad("broken.yaml", text));
        assertTrue(p.message().startsWith("malformed YAML"), p.message());
        assertTrue(p.line() >= 7, "line " + p.line() + ": " + p.message());
    }

    @Test
    void malformedJsonNamesTheLine() throws IOException {
        String text = "{\"kind\": \"principle-set\",\n \"name\": \"x\",\n \"principles\": [\n  {\"name\": \"A\",, }]}";
        FormatProblem p = only(bad("broken.json", text));
        assertTrue(p.message().startsWith("malformed JSON"), p.message());
        assertEquals(4, p.line(), p.message());
    }

    @Test
    void unknownKeysAreReportedWithTheirLines() throws IOException {
        String text = VALID.replace("note: for tests", "notes: for tests")
                .replace("    weight: 3\n", "    wieght: 3\n");
        PrincipleSetFormatException e = bad("typo.yaml", text);
        assertEquals(2, e.problems().size(), e.getMessage());
        assertEquals(3, e.problems().get(0).line());
        assertEquals("notes", e.problems().get(0).field());
        assertTrue(e.problems().get(0).message().contains("unknown key 'notes'"), e.getMessage());
        assertEquals(14, e.problems().get(1).line());
        assertEquals("principles[3].wieght", e.problems().get(1).field());
        assertTrue(e.getMessage().contains("typo.yaml:14:5: principles[3].wieght: unknown key 'wieght'"),
                e.getMessage());
    }

    @Test
    void duplicateNamesWithinARoleAreRejectedButAcrossRolesAllowed() throws IOException {
        String text = VALID + """
                  - name: Honest
                    role: rl
                    definition: Again.
                """;
        FormatProblem p = only(bad("dup.yaml", text));
        assertEquals("principles[4].name", p.field());
        assertEquals(16, p.line());
        assertTrue(p.message().contains("duplicate principle name 'Honest' in role rl"), p.message());
    }

    @Test
    void emptyAndMissingDefinitionsAreRejected() throws IOException {
        String text = VALID.replace("definition: Keep it short.", "definition: \"   \"")
                .replace("    definition: The response is true.\n", "");
        PrincipleSetFormatException e = bad("empty.yaml", text);
        assertEquals(2, e.problems().size(), e.getMessage());
        assertEquals("principles[1].definition", e.problems().get(0).field());
        assertEquals(7, e.problems().get(0).line());
        assertEquals("must not be empty", e.problems().get(0).message());
        assertEquals("principles[3].definition", e.problems().get(1).field());
        assertEquals("missing (required)", e.problems().get(1).message());
    }

    @Test
    void negativeAndNonNumericWeightsAreRejected() throws IOException {
        FormatProblem p = only(bad("neg.yaml", VALID.replace("weight: 3", "weight: -0.5")));
        assertEquals("principles[3].weight", p.field());
        assertEquals(14, p.line());
        assertTrue(p.message().contains(">= 0"), p.message());
        FormatProblem q = only(bad("nan.yaml", VALID.replace("weight: 3", "weight: heavy")));
        assertTrue(q.message().contains("expected a number"), q.message());
    }

    @Test
    void unknownRoleIsRejectedListingTheRoles() throws IOException {
        FormatProblem p = only(bad("role.yaml", VALID.replace("role: rl", "role: reward")));
        assertEquals("principles[3].role", p.field());
        assertEquals(13, p.line());
        assertTrue(p.message().contains("unknown role 'reward'") && p.message().contains("self_align, labelling,"
                + " rl, intervention"), p.message());
    }

    @Test
    void labellingPrincipleNeedsANegativeDefinition() throws IOException {
        FormatProblem p = only(bad("neg-def.yaml", VALID.replace("    negative_definition: The answer is long.\n", "")));
        assertEquals("principles[2].negative_definition", p.field());
        assertEquals(8, p.line());
        assertTrue(p.message().contains("labelling principle needs a negative definition"), p.message());
    }

    @Test
    void otherStructuralMistakesAreNamed() throws IOException {
        assertEquals("the file is empty", only(bad("empty.yaml", "")).message());
        FormatProblem dupKey = only(bad("dupkey.yaml", VALID.replace("note: for tests", "name: again")));
        assertEquals(3, dupKey.line());
        assertTrue(dupKey.message().contains("duplicate key (first given on line 2)"), dupKey.message());
        FormatProblem kind = only(bad("kind.yaml", VALID.replace("principle-set", "rules")));
        assertEquals("kind", kind.field());
        assertTrue(kind.message().contains("'principle-set' or 'exemplar-set'"), kind.message());
        FormatProblem list = only(bad("list.yaml", "kind: principle-set\nname: x\nprinciples: nope\n"));
        assertEquals("principles", list.field());
        FormatProblem noItems = only(bad("none.yaml", "kind: principle-set\nname: x\nprinciples: []\n"));
        assertTrue(noItems.message().contains("at least one principle"), noItems.message());
        FormatProblem number = only(bad("num.yaml", VALID.replace("name: Honest", "name: 42")));
        assertTrue(number.message().contains("quote it"), number.message());
        FormatProblem twoDocs = only(bad("two.yaml", VALID + "---\nkind: principle-set\n"));
        assertTrue(twoDocs.message().contains("one document"), twoDocs.message());
        FormatProblem multiLine = only(bad("ml.yaml", VALID.replace("definition: Keep it short.",
                "definition: |\n      Keep it\n      short.")));
        assertTrue(multiLine.message().contains("single line"), multiLine.message());
        Path missing = dir.resolve("missing.yaml");
        PrincipleSetFormatException e = assertThrows(PrincipleSetFormatException.class, () -> SetFiles.read(missing));
        assertTrue(e.getMessage().contains("missing.yaml: no such file"), e.getMessage());
    }

    @Test
    void readsAndValidatesExemplarSets() throws IOException {
        String text = """
                kind: exemplar-set
                name: two
                exemplars:
                  - instruction: Add 2 and 3.
                    internal_thoughts: I am a careful, honest and helpful assistant. A sum. I should follow rules 1 (Brief).
                    response: "5."
                  - instruction: Hi
                    internal_thoughts: I am a careful, honest and helpful assistant. A greeting.
                    response: Hello!
                """;
        ExemplarSet set = ExemplarSetFiles.read(file("ex.yaml", text));
        assertEquals(2, set.exemplars().size());
        assertEquals("5.", set.exemplars().get(0).response());
        assertNull(set.id());
        assertEquals(ContentHashes.exemplarSetHash("two", set.exemplars()), set.contentHash());

        PrincipleSetFormatException e = bad("ex-bad.yaml", text
                .replace("internal_thoughts: I am a careful, honest and helpful assistant. A greeting.",
                        "internal_thoughts: Hmm, a greeting.")
                .replace("    response: Hello!", "    response: Hello!\n    answer: Hi"));
        assertEquals(List.of("exemplars[2].internal_thoughts", "exemplars[2].answer"),
                e.problems().stream().map(FormatProblem::field).toList(), e.getMessage());
        assertEquals(8, e.problems().get(0).line());
        assertTrue(e.problems().get(0).message().contains("must start with \"" + Exemplar.THOUGHTS_PREFIX),
                e.getMessage());

        PrincipleSetFormatException wrongKind = assertThrows(PrincipleSetFormatException.class,
                () -> PrincipleSetFiles.read(file("ex2.yaml", text)));
        assertTrue(wrongKind.getMessage().contains("expected a principle-set file"), wrongKind.getMessage());
    }
}
