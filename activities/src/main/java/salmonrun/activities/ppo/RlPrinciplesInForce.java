package salmonrun.activities.ppo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BadInputException;
import salmonrun.activities.lineage.LineageException;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.salmon.PpoPhase;

/**
 * The RL principle set in force for a running PPO, read from the database before every rollout batch: the newest
 * {@code ppo.rl_principles.changed} event of its Ppo phase execution, else the set the segment was scheduled with.
 * So a change recorded by the workflow's Update lands at the next rollout, also inside a multi-step segment and
 * after a retried (crashed) attempt, whose call still names the old set. The first rollout under a change is
 * recorded once as {@code ppo.rl_principles.applied} (change event, PPO step, set).
 */
public final class RlPrinciplesInForce implements PpoPhase.PrincipleSchedule {
    public static final String APPLIED = "ppo.rl_principles.applied";

    private final ActivityServices services;
    private final Long runId;
    private final Long phaseExecutionId;
    private final long scheduledSet;
    private final long trainExecutionId;
    private final Map<Long, PrincipleSet> sets = new HashMap<>();
    private long appliedEvent = -1;

    /** A recorded change: its audit event and the set it switches to. */
    public record Change(long eventId, long toPrincipleSet) {}

    public RlPrinciplesInForce(ActivityServices services, Long runId, Long phaseExecutionId, long scheduledSet,
                               long trainExecutionId) {
        this.services = services;
        this.runId = runId;
        this.phaseExecutionId = phaseExecutionId;
        this.scheduledSet = scheduledSet;
        this.trainExecutionId = trainExecutionId;
    }

    @Override
    public PrincipleSet inForce(int step) {
        Optional<Change> change = newestChange();
        if (change.isPresent() && change.get().eventId() != appliedEvent) {
            recordApplied(change.get(), step);
            appliedEvent = change.get().eventId();
        }
        return load(change.map(Change::toPrincipleSet).orElse(scheduledSet));
    }

    /** The newest recorded change of this PPO phase execution (one indexed lookup). */
    public Optional<Change> newestChange() {
        if (phaseExecutionId == null) {
            return Optional.empty();
        }
        String sql = "SELECT id, (payload->>'to_principle_set')::bigint FROM audit_event WHERE "
                + (runId == null ? "run_id IS NULL" : "run_id = ?")
                + " AND action = ? AND payload->>'phase_execution' = ? ORDER BY id DESC LIMIT 1";
        try (Connection c = services.db().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (runId != null) {
                ps.setLong(i++, runId);
            }
            ps.setString(i++, PrincipleChanges.ACTION);
            ps.setString(i, Long.toString(phaseExecutionId));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Change(rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw LineageException.of(services.db(), "RL principles in force for phase execution " + phaseExecutionId, e);
        }
    }

    private PrincipleSet load(long id) {
        return sets.computeIfAbsent(id, k -> new PrincipleRepository(services.db()).find(k)
                .orElseThrow(() -> new BadInputException("principle set " + k + " does not exist")));
    }

    /** Appends the applied event unless an earlier attempt or segment already did for this change. */
    private void recordApplied(Change change, int step) {
        String sql = "SELECT 1 FROM audit_event WHERE " + (runId == null ? "run_id IS NULL" : "run_id = ?")
                + " AND action = ? AND payload->>'change_event' = ? LIMIT 1";
        try (Connection c = services.db().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (runId != null) {
                ps.setLong(i++, runId);
            }
            ps.setString(i++, APPLIED);
            ps.setString(i, Long.toString(change.eventId()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        } catch (SQLException e) {
            throw LineageException.of(services.db(), "applied RL principle change " + change.eventId(), e);
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("change_event", change.eventId());
        payload.put("phase_execution", phaseExecutionId);
        payload.put("train_execution", trainExecutionId);
        payload.put("principle_set", change.toPrincipleSet());
        payload.put("step", step);
        services.audit().append(runId, "salmon-worker", APPLIED,
                "first PPO rollout under the changed RL principles", payload);
    }
}
