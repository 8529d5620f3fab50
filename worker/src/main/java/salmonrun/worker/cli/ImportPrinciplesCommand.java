package salmonrun.worker.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import salmonrun.activities.principles.ExemplarRepository;
import salmonrun.activities.principles.ImportResult;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.SetFiles;

/** `salmon principles import FILE`: validate a set file, then store it as an immutable version. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Validate a set file and store it as an immutable version.",
            "FILE is a principle-set or exemplar-set file (YAML, or JSON for *.json; principles/README.md).",
            "It is fully validated before the database is touched. A version is keyed by its content hash:",
            "importing the same content again returns the same id."})
final class ImportPrinciplesCommand extends PrinciplesSubcommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The set file (format: principles/README.md).")
    Path file;

    @Option(names = "--created-by", paramLabel = "WHO", description = "Who imports it (default: the OS user).")
    String createdBy = System.getProperty("user.name", "unknown");

    @Option(names = "--note", paramLabel = "TEXT",
            description = "Why this version exists (default: the file's note). Principle sets only.")
    String note;

    private SetFiles.SetFile parsed;

    @Override
    void beforeDatabase() {
        parsed = SetFiles.read(file);
    }

    @Override
    void execute(CliContext ctx) {
        ImportResult result;
        String kind;
        if (parsed instanceof SetFiles.PrincipleSetFile p) {
            kind = SetFiles.PRINCIPLE_SET_KIND;
            result = new PrincipleRepository(ctx.db()).importSet(p.set(), createdBy, note != null ? note : p.note());
        } else {
            kind = SetFiles.EXEMPLAR_SET_KIND;
            if (note != null) {
                err().println("salmon: note: exemplar sets have no note; --note is not stored");
            }
            result = new ExemplarRepository(ctx.db()).importSet(((SetFiles.ExemplarSetFile) parsed).set(), createdBy);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("id", result.id());
        m.put("name", parsed.name());
        m.put("contentHash", result.contentHash());
        m.put("created", result.created());
        m.put("parentId", result.parentId());
        // Who imported which version and why goes on the hash-chained audit log (repeats too: they are attempts).
        ctx.audit().append(null, createdBy, "principles.import", note != null ? note : parsed.note(),
                CliContext.JSON.valueToTree(m));
        if (json) {
            printJson(m);
            return;
        }
        String what = kind.replace('-', ' ');
        out().println((result.created() ? "imported " : "already stored: ") + what + " " + result.id()
                + " (" + parsed.name() + ")");
        out().println("sha256 " + result.contentHash());
        if (result.parentId() != null) {
            out().println("parent " + result.parentId());
        }
    }
}
