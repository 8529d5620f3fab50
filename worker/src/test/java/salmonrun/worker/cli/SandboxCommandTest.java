package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `salmon sandbox` in-process: the corpus command end to end, and clear errors for bad input. */
class SandboxCommandTest {

    @TempDir
    Path tmp;

    @Test
    void corpusWritesOneJsonStringPerDocument() throws Exception {
        Path file = tmp.resolve("c/corpus.jsonl");
        CliRunner.Result r = CliRunner.run("sandbox", "corpus", "--documents", "30", "--seed", "4", "--out", file.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(file);
        assertEquals(30, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertTrue(json.readValue(line, String.class).startsWith("# Salmon\n\n"), line);
        }
        assertFalse(Files.exists(tmp.resolve("c/.corpus.jsonl.tmp")));
        CliRunner.Result again = CliRunner.run("sandbox", "corpus", "--documents", "30", "--seed", "4", "--out", tmp.resolve("d.jsonl").toString());
        assertEquals(0, again.exitCode());
        assertEquals(lines, Files.readAllLines(tmp.resolve("d.jsonl")));
    }

    @Test
    void badInputFailsWithAMessageNamingTheProblem() {
        CliRunner.Result preset = CliRunner.run("sandbox", "pretrain", "--preset", "huge", "--out", tmp.resolve("m").toString());
        assertEquals(CliContext.FAILED, preset.exitCode());
        assertTrue(preset.err().contains("unknown preset 'huge'"), preset.err());

        CliRunner.Result model = CliRunner.run("sandbox", "eval", "--model", tmp.resolve("nothing").toString());
        assertEquals(CliContext.FAILED, model.exitCode());
        assertTrue(model.err().contains("is not a checkpoint directory"), model.err());

        CliRunner.Result split = CliRunner.run("sandbox", "corpus", "--documents", "0", "--out", tmp.resolve("x.jsonl").toString());
        assertEquals(CliContext.FAILED, split.exitCode());
        assertTrue(split.err().contains("--documents must be >= 1"), split.err());
    }
}
