package salmonrun.worker.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import salmonrun.activities.principles.Role;
import salmonrun.activities.principles.SetFiles;

/** `salmon principles validate FILE`: check a set file and print its content hash, without a database. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a principle-set or exemplar-set file and print its content hash.",
            "Needs no database; exit 1 lists every problem with file, line and field."})
final class ValidatePrinciplesCommand extends PrinciplesSubcommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The set file (format: principles/README.md).")
    Path file;

    @Override
    void beforeDatabase() {
        SetFiles.SetFile parsed = SetFiles.read(file);
        Map<String, Object> m = new LinkedHashMap<>();
        if (parsed instanceof SetFiles.PrincipleSetFile p) {
            m.put("kind", SetFiles.PRINCIPLE_SET_KIND);
            m.put("name", p.name());
            m.put("contentHash", p.contentHash());
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Role r : Role.values()) {
                counts.put(r.dbName(), p.set().withRole(r).size());
            }
            m.put("counts", counts);
        } else if (parsed instanceof SetFiles.ExemplarSetFile e) {
            m.put("kind", SetFiles.EXEMPLAR_SET_KIND);
            m.put("name", e.name());
            m.put("contentHash", e.contentHash());
            m.put("exemplars", e.set().exemplars().size());
        }
        if (json) {
            printJson(m);
        } else {
            out().println("valid " + m.get("kind") + " " + m.get("name") + ": "
                    + (m.containsKey("counts") ? m.get("counts") : m.get("exemplars") + " exemplars"));
            out().println("sha256 " + m.get("contentHash"));
        }
    }

    @Override
    boolean needsDatabase() {
        return false;
    }

    @Override
    void execute(CliContext ctx) {
        throw new IllegalStateException("validate never opens the database");
    }
}
