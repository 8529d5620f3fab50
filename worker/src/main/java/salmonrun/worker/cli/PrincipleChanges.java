package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import salmonrun.activities.lineage.AuditEvent;
import salmonrun.activities.lineage.PrincipleSetRef;
import salmonrun.activities.lineage.RunAuditReport;
import salmonrun.activities.principles.PrincipleDiff;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSet;

/**
 * The principle-set changes an audit shows: from the previous run's newest set to this run's
 * first; every change recorded in the audit log (an event whose payload names
 * from_principle_set and to_principle_set, e.g. ppo.rl_principles.changed) with who, when and
 * why; and between consecutive sets this run's executions used, where no event covers the pair.
 */
final class PrincipleChanges {
    /** One diff between two stored versions; problem is set (and diff null) when a version could not be loaded. */
    record SetDiff(long fromSetId, long toSetId, String context, PrincipleDiff diff, String problem) {
        /** The diff as text lines, or the problem. */
        String text() {
            return diff != null ? diff.render() : "cannot diff #" + fromSetId + " -> #" + toSetId + ": " + problem;
        }
    }

    private PrincipleChanges() {}

    static List<SetDiff> of(RunAuditReport report, PrincipleRepository principles) {
        List<SetDiff> out = new ArrayList<>();
        List<PrincipleSetRef> used = report.principleSets(); // ordered by id, i.e. by version
        Set<String> covered = new HashSet<>();
        if (!used.isEmpty() && report.previous() != null && !report.previous().previousPrincipleSets().isEmpty()) {
            List<PrincipleSetRef> before = report.previous().previousPrincipleSets();
            PrincipleSetRef last = before.get(before.size() - 1);
            Set<Long> beforeIds = new HashSet<>();
            before.forEach(p -> beforeIds.add(p.id()));
            // the first set this run used that the previous run did not (reused outputs share old sets)
            used.stream().filter(p -> !beforeIds.contains(p.id())).findFirst().ifPresent(first -> {
                covered.add(last.id() + ">" + first.id());
                out.add(diff(principles, last.id(), first.id(),
                        "previous run " + report.previous().previousRun().workflowId() + " -> this run"));
            });
        }
        for (AuditEvent e : report.events()) {
            JsonNode from = e.payload().path("from_principle_set");
            JsonNode to = e.payload().path("to_principle_set");
            if (from.canConvertToLong() && to.canConvertToLong() && from.asLong() != to.asLong()) {
                covered.add(from.asLong() + ">" + to.asLong());
                out.add(diff(principles, from.asLong(), to.asLong(), e.action() + " by " + e.actor() + " at "
                        + e.createdAt() + (e.reason() == null ? "" : ", why: " + e.reason())
                        + " (audit event #" + e.id() + ")"));
            }
        }
        for (int i = 1; i < used.size(); i++) {
            if (!covered.contains(used.get(i - 1).id() + ">" + used.get(i).id())) {
                out.add(diff(principles, used.get(i - 1).id(), used.get(i).id(), "within this run"));
            }
        }
        return out;
    }

    private static SetDiff diff(PrincipleRepository principles, long from, long to, String context) {
        try {
            Optional<PrincipleSet> a = principles.find(from);
            Optional<PrincipleSet> b = principles.find(to);
            if (a.isEmpty() || b.isEmpty()) {
                return new SetDiff(from, to, context, null, "set #" + (a.isEmpty() ? from : to) + " not found");
            }
            return new SetDiff(from, to, context, PrincipleDiff.between(a.get(), b.get()), null);
        } catch (IllegalStateException e) { // a set whose rows no longer match its hash: say so, keep auditing
            return new SetDiff(from, to, context, null, e.getMessage());
        }
    }
}
