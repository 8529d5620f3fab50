package salmonrun.worker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import salmonrun.activities.principles.ExemplarRepository;
import salmonrun.activities.principles.ExemplarSetSummary;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSetSummary;
import salmonrun.activities.principles.Role;

/** `salmon principles list`: every stored principle set and exemplar set, oldest first. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every stored principle set and exemplar set, oldest first.")
final class ListPrinciplesCommand extends PrinciplesSubcommand {

    @Override
    void execute(CliContext ctx) {
        List<PrincipleSetSummary> sets = new PrincipleRepository(ctx.db()).list();
        List<ExemplarSetSummary> exemplarSets = new ExemplarRepository(ctx.db()).list();
        if (json) {
            List<Map<String, Object>> ps = new ArrayList<>();
            for (PrincipleSetSummary s : sets) {
                ps.add(summaryJson(s));
            }
            List<Map<String, Object>> es = new ArrayList<>();
            for (ExemplarSetSummary s : exemplarSets) {
                es.add(exemplarSummaryJson(s));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("principleSets", ps);
            m.put("exemplarSets", es);
            printJson(m);
            return;
        }
        out().println("principle sets");
        if (sets.isEmpty()) {
            out().println("  (none; import one with: salmon principles import principles/salmon-default.yaml)");
        } else {
            out().printf("  %-5s %-24s %-12s %-6s %4s %4s %4s %4s  %-12s %-20s %s%n", "ID", "NAME", "SHA256",
                    "PARENT", "SELF", "LAB", "RL", "INT", "CREATED_BY", "CREATED_AT", "NOTE");
            for (PrincipleSetSummary s : sets) {
                out().printf("  %-5d %-24s %-12s %-6s %4d %4d %4d %4d  %-12s %-20s %s%n", s.id(), s.name(),
                        s.contentHash().substring(0, 12), s.parentId() == null ? "-" : s.parentId().toString(),
                        s.count(Role.SELF_ALIGN), s.count(Role.LABELLING), s.count(Role.RL),
                        s.count(Role.INTERVENTION), s.createdBy(), s.createdAt().toString().substring(0, 19) + "Z",
                        s.note() == null ? "" : s.note());
            }
        }
        out().println("exemplar sets");
        if (exemplarSets.isEmpty()) {
            out().println("  (none)");
        } else {
            out().printf("  %-5s %-32s %-12s %9s  %-12s %s%n", "ID", "NAME", "SHA256", "EXEMPLARS", "CREATED_BY",
                    "CREATED_AT");
            for (ExemplarSetSummary s : exemplarSets) {
                out().printf("  %-5d %-32s %-12s %9d  %-12s %s%n", s.id(), s.name(), s.contentHash().substring(0, 12),
                        s.exemplars(), s.createdBy(), s.createdAt().toString().substring(0, 19) + "Z");
            }
        }
    }

    static Map<String, Object> summaryJson(PrincipleSetSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("contentHash", s.contentHash());
        m.put("parentId", s.parentId());
        m.put("createdBy", s.createdBy());
        m.put("note", s.note());
        m.put("createdAt", s.createdAt().toString());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            counts.put(r.dbName(), s.count(r));
        }
        m.put("counts", counts);
        return m;
    }

    static Map<String, Object> exemplarSummaryJson(ExemplarSetSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("contentHash", s.contentHash());
        m.put("createdBy", s.createdBy());
        m.put("createdAt", s.createdAt().toString());
        m.put("exemplars", s.exemplars());
        return m;
    }
}
