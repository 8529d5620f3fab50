package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import salmonrun.activities.lineage.Database;
import salmonrun.worker.SalmonCli;

/** Runs `salmon ...` in-process with captured output, the way main() would (minus System.exit). */
final class CliRunner {
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    private CliRunner() {}

    /** The environment that points the CLI at a test database and artifact store. */
    static Map<String, String> environment(Database db, Path store) {
        return Map.of("SALMON_DB_URL", db.config().url(), "SALMON_DB_USER", db.config().user(),
                "SALMON_DB_PASSWORD", db.config().password(), "SALMON_STORE", store.toString());
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SalmonCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
