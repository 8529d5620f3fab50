package salmonrun.worker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.ExemplarRepository;
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.ExemplarSetSummary;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.PrincipleSetSummary;
import salmonrun.activities.principles.Role;

/** `salmon principles show ID`: one stored set in full. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a stored principle set (or, with --exemplars, an exemplar set) in full.")
final class ShowPrinciplesCommand extends PrinciplesSubcommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The set's id, or a prefix of its content hash (6+ hex digits).")
    String ref;

    @Option(names = "--exemplars", description = "ID names an exemplar set.")
    boolean exemplars;

    @Override
    void execute(CliContext ctx) {
        if (exemplars) {
            showExemplars(new ExemplarRepository(ctx.db()));
        } else {
            showPrinciples(new PrincipleRepository(ctx.db()));
        }
    }

    private void showPrinciples(PrincipleRepository repo) {
        long id = repo.resolve(ref).orElseThrow(() -> noSuchSet("principle set", ref));
        PrincipleSet set = repo.find(id).orElseThrow();
        PrincipleSetSummary s = repo.summary(id).orElseThrow();
        if (json) {
            Map<String, Object> m = ListPrinciplesCommand.summaryJson(s);
            m.remove("counts");
            List<Map<String, Object>> ps = new ArrayList<>();
            for (Principle p : set.principles()) {
                ps.add(principleJson(p));
            }
            m.put("principles", ps);
            printJson(m);
            return;
        }
        out().println("principle set " + id + ": " + set.name());
        out().println("sha256     " + set.contentHash());
        out().println("parent     " + (s.parentId() == null ? "-" : s.parentId()));
        out().println("created    " + s.createdAt() + " by " + s.createdBy());
        if (s.note() != null) {
            out().println("note       " + s.note());
        }
        for (Role role : Role.values()) {
            List<Principle> ps = set.withRole(role);
            out().println();
            out().println(role.dbName() + " (" + ps.size() + ")");
            for (int i = 0; i < ps.size(); i++) {
                Principle p = ps.get(i);
                switch (role) {
                    case SELF_ALIGN -> out().println("  " + (i + 1) + " (" + p.name() + "). " + p.definition());
                    case RL -> out().println("  [" + weight(p.weight()) + "] " + p.name() + ": " + p.definition());
                    default -> out().println("  " + p.name() + ": " + p.definition());
                }
                if (p.negativeDefinition() != null) {
                    out().println("      negated: " + p.negativeDefinition());
                }
            }
        }
    }

    private void showExemplars(ExemplarRepository repo) {
        long id = repo.resolve(ref).orElseThrow(() -> noSuchSet("exemplar set", ref));
        ExemplarSet set = repo.find(id).orElseThrow();
        ExemplarSetSummary s = repo.summary(id).orElseThrow();
        if (json) {
            Map<String, Object> m = ListPrinciplesCommand.exemplarSummaryJson(s);
            List<Map<String, Object>> es = new ArrayList<>();
            for (Exemplar e : set.exemplars()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("instruction", e.instruction());
                x.put("internal_thoughts", e.internalThoughts());
                x.put("response", e.response());
                es.add(x);
            }
            m.put("exemplars", es);
            printJson(m);
            return;
        }
        out().println("exemplar set " + id + ": " + set.name());
        out().println("sha256     " + set.contentHash());
        out().println("created    " + s.createdAt() + " by " + s.createdBy());
        int n = 1;
        for (Exemplar e : set.exemplars()) {
            out().println();
            out().println("[" + n++ + "] User: " + e.instruction());
            out().println("    thoughts: " + e.internalThoughts());
            out().println("    answer:   " + e.response().replace("\n", "\n              "));
        }
    }
}
