package salmonrun.activities.principles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.TestDatabases;

/** Every kind of bad input is refused with a message naming it, and leaves the database empty. */
class ImportRejectsBadInputTest {
    static Database db;
    static PrincipleRepository principles;
    static ExemplarRepository exemplars;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabases.createFresh();
        principles = new PrincipleRepository(db);
        exemplars = new ExemplarRepository(db);
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabases.drop(db);
    }

    @AfterEach
    void nothingWasWritten() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            for (String table : List.of("principle_set", "principle", "exemplar_set", "exemplar")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    assertEquals(0, rs.getLong(1), table + " must stay empty");
                }
            }
        }
    }

    /** Reads the file and imports what it holds, as `salmon principles import` does. */
    void importFile(Path file) {
        SetFiles.SetFile f = SetFiles.read(file);
        if (f instanceof SetFiles.PrincipleSetFile p) {
            principles.importSet(p.set(), "test", p.note());
        } else if (f instanceof SetFiles.ExemplarSetFile e) {
            exemplars.importSet(e.set(), "test");
        }
    }

    @Test
    void badFilesAreRefusedBeforeAnythingIsStored() throws Exception {
        String valid = SetFilesTest.VALID;
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("malformed YAML", valid.replace("definition: Keep it short.", "definition: [Keep it short."));
        cases.put("malformed JSON", "{\"kind\": \"principle-set\", \"name\": \"x\", \"principles\": [}");
        cases.put("unknown key 'colour'", valid.replace("    weight: 3\n", "    weight: 3\n    colour: red\n"));
        cases.put("duplicate principle name 'Honest'", valid + "  - {name: Honest, role: rl, definition: Again.}\n");
        cases.put("must not be empty", valid.replace("definition: The response is true.", "definition: ''"));
        cases.put("finite number >= 0", valid.replace("weight: 3", "weight: -1"));
        cases.put("unknown role 'judge'", valid.replace("role: rl", "role: judge"));
        cases.put("needs a negative definition", valid.replace("    negative_definition: The answer is long.\n", ""));
        cases.put("must start with", """
                kind: exemplar-set
                name: bad-exemplars
                exemplars:
                  - {instruction: Hi, internal_thoughts: I think so., response: Hello.}
                """);
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = dir.resolve("case" + (n++) + (c.getKey().contains("JSON") ? ".json" : ".yaml"));
            Files.writeString(f, c.getValue());
            PrincipleSetFormatException e = assertThrows(PrincipleSetFormatException.class, () -> importFile(f),
                    c.getKey());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(c.getKey()),
                    c.getKey() + " -> " + e.getMessage());
            assertTrue(e.problems().get(0).line() > 0, "a line is named: " + e.getMessage());
        }
    }

    @Test
    void invalidSetsBuiltInCodeAreRefusedByTheRepositoryToo() {
        List<List<Principle>> bad = List.of(
                List.of(new Principle("A", " ", null, 1, Role.RL)),
                List.of(new Principle("A", "Fine.", null, -2, Role.RL)),
                List.of(new Principle("A", "Fine.", null, Double.NaN, Role.RL)),
                List.of(new Principle("A", "Fine.", null, 1, Role.LABELLING)),
                List.of(new Principle("A", "Fine.", null, 1, null)),
                List.of(new Principle("A", "One.", null, 1, Role.RL), new Principle("A", "Two.", null, 1, Role.RL)),
                List.of());
        for (List<Principle> list : bad) {
            PrincipleSet set = new PrincipleSet(null, "code-built", null, list);
            PrincipleSetFormatException e = assertThrows(PrincipleSetFormatException.class,
                    () -> principles.importSet(set, "test", null), list.toString());
            assertTrue(e.getMessage().startsWith("principle set 'code-built'"), e.getMessage());
        }
        PrincipleSet lying = new PrincipleSet(null, "liar", "0".repeat(64),
                List.of(new Principle("A", "Fine.", null, 1, Role.RL)));
        assertThrows(IllegalArgumentException.class, () -> principles.importSet(lying, "test", null));
        assertThrows(IllegalArgumentException.class,
                () -> principles.importSet(DefaultPrinciples.principles(), " ", null));
        assertThrows(PrincipleSetFormatException.class, () -> exemplars.importSet(
                ExemplarSet.of("bad", List.of(new Exemplar("Hi", "No prefix.", "Hello."))), "test"));
    }
}
