package salmonrun.worker.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import salmonrun.activities.principles.PrincipleDiff;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.PrincipleSetFiles;

/** `salmon principles diff A B`: what changed per principle from set A to set B (stored ids or files). */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what changed, per principle, from principle set A to B.",
            "A and B are stored sets (id or content-hash prefix) or principle-set files; two files need no",
            "database. Principles are matched by role and name; changes are added, removed, reworded,",
            "re-weighted, role changed and reordered."})
final class DiffPrinciplesCommand extends PrinciplesSubcommand {
    @Parameters(index = "0", paramLabel = "A", description = "The older set: id, content-hash prefix or file.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The newer set: id, content-hash prefix or file.")
    String b;

    private PrincipleSet fileA;
    private PrincipleSet fileB;

    @Override
    void beforeDatabase() {
        // Files are read (and validated) before the database is opened, and may make it unnecessary.
        fileA = isFile(a) ? PrincipleSetFiles.read(Path.of(a)) : null;
        fileB = isFile(b) ? PrincipleSetFiles.read(Path.of(b)) : null;
        if (!needsDatabase()) {
            print(PrincipleDiff.between(fileA, fileB));
        }
    }

    @Override
    boolean needsDatabase() {
        return fileA == null || fileB == null;
    }

    @Override
    void execute(CliContext ctx) {
        PrincipleRepository repo = new PrincipleRepository(ctx.db());
        print(PrincipleDiff.between(fileA != null ? fileA : load(repo, a), fileB != null ? fileB : load(repo, b)));
    }

    private void print(PrincipleDiff diff) {
        if (!json) {
            out().print(diff.render());
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", ref(diff.from()));
        m.put("to", ref(diff.to()));
        List<Map<String, Object>> changes = new ArrayList<>();
        for (PrincipleDiff.Change c : diff.changes()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
            x.put("name", c.name());
            x.put("fromRole", c.fromRole() == null ? null : c.fromRole().dbName());
            x.put("toRole", c.toRole() == null ? null : c.toRole().dbName());
            x.put("detail", c.detail());
            x.put("before", c.before() == null ? null : principleJson(c.before()));
            x.put("after", c.after() == null ? null : principleJson(c.after()));
            changes.add(x);
        }
        m.put("changes", changes);
        printJson(m);
    }

    /** A path to an existing file (ids and hash prefixes never contain a dot or a slash). */
    private static boolean isFile(String arg) {
        return (arg.contains(".") || arg.contains("/")) && Files.isRegularFile(Path.of(arg));
    }

    private static PrincipleSet load(PrincipleRepository repo, String ref) {
        long id = repo.resolve(ref).orElseThrow(() -> noSuchSet("principle set", ref));
        return repo.find(id).orElseThrow();
    }

    private static Map<String, Object> ref(PrincipleSet s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("contentHash", s.contentHash());
        return m;
    }
}
