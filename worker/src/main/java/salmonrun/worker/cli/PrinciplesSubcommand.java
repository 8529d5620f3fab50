package salmonrun.worker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSetFormatException;

/** What every `salmon principles` subcommand shares: --json, output streams, exit codes, the database. */
abstract class PrinciplesSubcommand implements Callable<Integer> {
    static final int BAD_INPUT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    /** The command's work; throws {@link CliFailure} for problems the operator can fix. */
    abstract void execute() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            execute();
            out().flush();
            return 0;
        } catch (CliFailure e) {
            err().println("salmon principles: " + e.getMessage());
            err().flush();
            return e.exitCode();
        } catch (PrincipleSetFormatException e) {
            err().println(e.getMessage());
            err().flush();
            return BAD_INPUT;
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Opens the lineage database (exit 2 when unreachable); the caller closes it. */
    Database database() {
        return PrinciplesDb.open();
    }

    void printJson(Object value) {
        try {
            out().println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A principle as it appears in set files. */
    static Map<String, Object> principleJson(Principle p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("role", p.role().dbName());
        m.put("definition", p.definition());
        if (p.negativeDefinition() != null) {
            m.put("negative_definition", p.negativeDefinition());
        }
        m.put("weight", p.weight());
        return m;
    }

    /** A readable weight: 3 rather than 3.0. */
    static String weight(double w) {
        return w == Math.rint(w) && Math.abs(w) < 1e15 ? Long.toString((long) w) : Double.toString(w);
    }
}
