package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `salmon principles import|list|show|diff` end to end: SalmonCli in-process against a fresh
 * PostgreSQL database chosen through {@link CliContext#useEnvironment}, on real files.
 */
class PrinciplesCommandTest {
    static final Path DEFAULT_FILE = Path.of("..", "principles", "salmon-default.yaml");
    static final Path DEFAULT_EXEMPLARS = Path.of("..", "principles", "salmon-default-exemplars.yaml");
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final CliDatabase CLI = new CliDatabase();

    @TempDir
    Path dir;

    /** Runs `salmon ARGS` against this class's database at {@code dbUrl} (an unreachable one, for offline commands). */
    static CliRunner.Result salmonAt(String dbUrl, String... args) {
        CLI.useEnvironment(Map.of("SALMON_DB_URL", dbUrl));
        return CliRunner.run(args);
    }

    static CliRunner.Result salmon(String... args) {
        return salmonAt(CLI.db().config().url(), args);
    }

    static long rows(String table) throws Exception {
        try (Connection c = CLI.db().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void importTwiceThenDiffAgainstAnEditedCopy() throws Exception {
        CliRunner.Result first = salmon("principles", "import", DEFAULT_FILE.toString(), "--created-by", "ops", "--json");
        assertEquals(0, first.exitCode(), first.err());
        JsonNode a = JSON.readTree(first.out());
        assertEquals("principle-set", a.get("kind").asText());
        assertEquals("salmon-default", a.get("name").asText());
        assertEquals(64, a.get("contentHash").asText().length());

        CliRunner.Result again = salmon("principles", "import", DEFAULT_FILE.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().startsWith("already stored: principle set " + a.get("id").asLong() + " (salmon-default)"),
                again.out());
        assertTrue(again.out().contains("sha256 " + a.get("contentHash").asText()), again.out());

        Path edited = dir.resolve("edited.yaml");
        Files.writeString(edited, Files.readString(DEFAULT_FILE)
                .replace("    weight: 4\n", "    weight: 2\n")
                .replace("definition: Reply in the language the user writes in.",
                        "definition: Answer in the language of the question."));
        CliRunner.Result second = salmon("principles", "import", edited.toString(), "--note", "tone down candour", "--json");
        assertEquals(0, second.exitCode(), second.err());
        JsonNode b = JSON.readTree(second.out());
        assertTrue(b.get("created").asBoolean());
        assertEquals(a.get("id").asLong(), b.get("parentId").asLong());

        // Each import is on the audit log: who, which version, why.
        try (Connection c = CLI.db().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT actor, reason, payload->>'contentHash', payload->>'created'"
                     + " FROM audit_event WHERE action = 'principles.import' AND payload->>'name' = 'salmon-default'"
                     + " ORDER BY id")) {
            assertTrue(rs.next());
            assertEquals("ops", rs.getString(1));
            assertEquals(a.get("contentHash").asText(), rs.getString(3));
            assertEquals("true", rs.getString(4));
            assertTrue(rs.next());
            assertEquals("false", rs.getString(4), "the repeated import is recorded as such");
            assertTrue(rs.next());
            assertEquals("tone down candour", rs.getString(2));
            assertEquals(b.get("contentHash").asText(), rs.getString(3));
        }

        CliRunner.Result diff = salmon("principles", "diff", a.get("id").asText(), b.get("id").asText());
        assertEquals(0, diff.exitCode(), diff.err());
        assertTrue(diff.out().contains("2 changes"), diff.out());
        assertTrue(diff.out().contains("~ reworded     self_align/Same Language: definition \"Reply in the language"
                + " the user writes in.\" -> \"Answer in the language of the question.\""), diff.out());
        assertTrue(diff.out().contains("~ re-weighted  rl/Candid: 4 -> 2"), diff.out());

        // Hash prefixes name sets too, and --json gives the change records.
        CliRunner.Result jsonDiff = salmon("principles", "diff", a.get("contentHash").asText().substring(0, 8),
                b.get("contentHash").asText().substring(0, 8), "--json");
        assertEquals(0, jsonDiff.exitCode(), jsonDiff.err());
        JsonNode changes = JSON.readTree(jsonDiff.out()).get("changes");
        assertEquals(2, changes.size());
        assertEquals("reworded", changes.get(0).get("kind").asText());
        assertEquals("reweighted", changes.get(1).get("kind").asText());
        assertEquals(4.0, changes.get(1).get("before").get("weight").asDouble());
        assertEquals(2.0, changes.get(1).get("after").get("weight").asDouble());

        CliRunner.Result show = salmon("principles", "show", b.get("id").asText());
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(show.out().contains("note       tone down candour"), show.out());
        assertTrue(show.out().contains("  17 (Same Language). Answer in the language of the question."), show.out());
        assertTrue(show.out().contains("  [2] Candid: "), show.out());
        JsonNode shown = JSON.readTree(salmon("principles", "show", b.get("id").asText(), "--json").out());
        assertEquals(51, shown.get("principles").size());

        CliRunner.Result list = salmon("principles", "list", "--json");
        assertEquals(0, list.exitCode(), list.err());
        List<JsonNode> sets = new ArrayList<>();
        JSON.readTree(list.out()).get("principleSets").forEach(n -> {
            if (n.get("name").asText().equals("salmon-default")) {
                sets.add(n);
            }
        });
        assertEquals(2, sets.size(), list.out());
        assertEquals(17, sets.get(0).get("counts").get("self_align").asInt());
        assertEquals("ops", sets.get(0).get("createdBy").asText());
        assertTrue(salmon("principles", "list").out().contains("salmon-default"));
    }

    @Test
    void importsAndShowsExemplarSets() throws Exception {
        CliRunner.Result r = salmon("principles", "import", DEFAULT_EXEMPLARS.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("exemplar-set", j.get("kind").asText());
        CliRunner.Result show = salmon("principles", "show", "--exemplars", j.get("id").asText());
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(show.out().contains("[5] User: Which family does the red panda belong to?"), show.out());
        assertTrue(salmon("principles", "list").out().contains("salmon-default-exemplars"));
    }

    @Test
    void badFilesAreRefusedBeforeTheDatabaseIsTouched() throws Exception {
        long before = rows("principle_set");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(DEFAULT_FILE).replace("role: labelling", "role: judging"));
        // An unreachable database: validation must fail first (exit 1, not 2).
        CliRunner.Result r = salmonAt("jdbc:postgresql://127.0.0.1:1/salmon", "principles", "import", bad.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains(bad + ":") && r.err().contains("unknown role 'judging'"), r.err());
        assertEquals(before, rows("principle_set"));
    }

    @Test
    void validateAndFileDiffsNeedNoDatabase() throws Exception {
        String nowhere = "jdbc:postgresql://127.0.0.1:1/salmon";
        CliRunner.Result v = salmonAt(nowhere, "principles", "validate", DEFAULT_FILE.toString(), "--json");
        assertEquals(0, v.exitCode(), v.err());
        JsonNode j = JSON.readTree(v.out());
        assertEquals(3, j.get("counts").get("intervention").asInt());
        assertEquals(64, j.get("contentHash").asText().length());
        CliRunner.Result ve = salmonAt(nowhere, "principles", "validate", DEFAULT_EXEMPLARS.toString());
        assertEquals(0, ve.exitCode(), ve.err());
        assertTrue(ve.out().startsWith("valid exemplar-set salmon-default-exemplars: 6 exemplars"), ve.out());

        Path edited = dir.resolve("edited.yaml");
        Files.writeString(edited, Files.readString(DEFAULT_FILE).replace("    weight: 4\n", "    weight: 3\n"));
        CliRunner.Result d = salmonAt(nowhere, "principles", "diff", DEFAULT_FILE.toString(), edited.toString());
        assertEquals(0, d.exitCode(), d.err());
        assertTrue(d.out().contains("1 change\n~ re-weighted  rl/Candid: 4 -> 3"), d.out());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "kind: principle-set\nname: x\nprinciples: []\n");
        CliRunner.Result vb = salmonAt(nowhere, "principles", "validate", bad.toString());
        assertEquals(1, vb.exitCode());
        assertTrue(vb.err().contains(bad + ":3:13: principles: a principle set needs at least one principle"), vb.err());
    }

    @Test
    void diffsAStoredSetAgainstAFile() throws Exception {
        // A renamed copy, so this test's versions stay apart from the other tests' salmon-default.
        String own = Files.readString(DEFAULT_FILE).replace("name: salmon-default\n", "name: diff-file-test\n");
        Path stored = dir.resolve("stored.yaml");
        Files.writeString(stored, own);
        long id = JSON.readTree(salmon("principles", "import", stored.toString(), "--json").out()).get("id").asLong();
        Path edited = dir.resolve("edited.yaml");
        Files.writeString(edited, own.replace("  - name: No Self-Praise\n", "  - name: Modest\n"));
        CliRunner.Result d = salmon("principles", "diff", Long.toString(id), edited.toString(), "--json");
        assertEquals(0, d.exitCode(), d.err());
        JsonNode changes = JSON.readTree(d.out()).get("changes");
        assertEquals(2, changes.size(), d.out());
        assertEquals("removed", changes.get(0).get("kind").asText());
        assertEquals("No Self-Praise", changes.get(0).get("name").asText());
        assertEquals("added", changes.get(1).get("kind").asText());
        assertEquals("Modest", changes.get(1).get("name").asText());
    }

    @Test
    void unreachableDatabaseExitsWithTwoAndSaysWhatWasTried() {
        String nowhere = "jdbc:postgresql://127.0.0.1:1/salmon";
        for (String[] args : new String[][] {{"principles", "list"}, {"principles", "show", "1"},
                {"principles", "diff", "1", "2"}, {"principles", "import", DEFAULT_FILE.toString()}}) {
            CliRunner.Result r = salmonAt(nowhere, args);
            String what = String.join(" ", args) + ": " + r.err();
            assertEquals(2, r.exitCode(), what);
            assertTrue(r.err().startsWith("salmon: cannot reach the lineage database at " + nowhere), what);
            assertTrue(r.err().contains("SALMON_DB_URL"), what);
            assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + what);
        }
    }

    @Test
    void unknownSetsAreNamed() {
        CliRunner.Result r = salmon("principles", "show", "424242");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no principle set 424242 (see: salmon principles list)"), r.err());
        CliRunner.Result d = salmon("principles", "diff", "424242", "latest");
        assertEquals(1, d.exitCode());
        assertTrue(d.err().contains("no principle set 424242"), d.err());
        CliRunner.Result e = salmon("principles", "show", "latest");
        assertEquals(1, e.exitCode());
        assertTrue(e.err().contains("'latest' is neither an id nor a content-hash prefix"), e.err());
    }
}
