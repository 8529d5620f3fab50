package salmonrun.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import salmonrun.worker.SalmonCli;

/** `salmon sandbox` in-process: the corpus command end to end, and clear errors for bad input. */
class SandboxCommandTest {

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SalmonCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void corpusWritesOneJsonStringPerDocument() throws Exception {
        Path file = tmp.resolve("c/corpus.jsonl");
        Run r = run("sandbox", "corpus", "--documents", "30", "--seed", "4", "--out", file.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(file);
        assertEquals(30, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertTrue(json.readValue(line, String.class).startsWith("# Salmon\n\n"), line);
        }
        assertFalse(Files.exists(tmp.resolve("c/.corpus.jsonl.tmp")));
        Run again = run("sandbox", "corpus", "--documents", "30", "--seed", "4", "--out", tmp.resolve("d.jsonl").toString());
        assertEquals(0, again.exit());
        assertEquals(lines, Files.readAllLines(tmp.resolve("d.jsonl")));
    }

    @Test
    void badInputFailsWithAMessageNamingTheProblem() {
        Run preset = run("sandbox", "pretrain", "--preset", "huge", "--out", tmp.resolve("m").toString());
        assertEquals(CliContext.FAILED, preset.exit());
        assertTrue(preset.err().contains("unknown preset 'huge'"), preset.err());

        Run model = run("sandbox", "eval", "--model", tmp.resolve("nothing").toString());
        assertEquals(CliContext.FAILED, model.exit());
        assertTrue(model.err().contains("is not a checkpoint directory"), model.err());

        Run split = run("sandbox", "corpus", "--documents", "0", "--out", tmp.resolve("x.jsonl").toString());
        assertEquals(CliContext.FAILED, split.exit());
        assertTrue(split.err().contains("--documents must be >= 1"), split.err());
    }
}
