package salmonrun.worker.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSetFormatException;

/**
 * What every `salmon principles` subcommand shares: --json, output streams, and the exit codes of
 * {@link CliContext} (0 ok, 1 bad input or unknown set, 2 database unreachable).
 */
abstract class PrinciplesSubcommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    /** Work that needs no database, done first (import validates its file here). */
    void beforeDatabase() {}

    /** The command's work with the database open; problems the operator can fix are IllegalArgumentExceptions. */
    abstract void execute(CliContext ctx) throws Exception;

    /** False when {@link #beforeDatabase} did all the work (e.g. diffing two files). */
    boolean needsDatabase() {
        return true;
    }

    @Override
    public final Integer call() {
        try {
            beforeDatabase();
        } catch (PrincipleSetFormatException e) {
            err().println(e.getMessage());
            err().flush();
            return CliContext.FAILED;
        }
        if (!needsDatabase()) {
            out().flush();
            return CliContext.OK;
        }
        return CliContext.run(spec, ctx -> {
            execute(ctx);
            return CliContext.OK;
        });
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(Object value) {
        CliContext.printJson(out(), value);
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

    /** The error for an id or hash prefix that names no stored set. */
    static IllegalArgumentException noSuchSet(String what, String ref) {
        return new IllegalArgumentException("no " + what + " " + ref + " (see: salmon principles list)");
    }
}
