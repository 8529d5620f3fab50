package salmonrun.activities.ppo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BadInputException;
import salmonrun.activities.common.Failures;
import salmonrun.activities.common.PhaseValidation;
import salmonrun.activities.lineage.AuditEvent;
import salmonrun.workflows.ppo.PrincipleChangeReceipt;
import salmonrun.workflows.ppo.PrincipleChangeRecord;

/** Records a running PPO's RL-principle change in the audit log, after checking the new set can serve as RL principles. */
public final class PrincipleChanges {
    public static final String ACTION = "ppo.rl_principles.changed";

    private final ActivityServices services;
    private final PhaseValidation validation;

    public PrincipleChanges(ActivityServices services, PhaseValidation validation) {
        this.services = services;
        this.validation = validation;
    }

    /** Appends the audit event (who, why, from/to set, effective iteration) and returns its receipt. */
    public PrincipleChangeReceipt record(PrincipleChangeRecord change) {
        try {
            validation.validate("ppo", Map.of(), change.toPrincipleSet(), null, null);
            if (validation.countPrinciples(change.toPrincipleSet(), Set.of("rl")) == 0) {
                throw new BadInputException("principle set " + change.toPrincipleSet() + " has no 'rl' principles");
            }
            // A retried attempt must not append the change twice: the activity's identity marks the event.
            io.temporal.activity.ActivityInfo info = io.temporal.activity.Activity.getExecutionContext().getInfo();
            String key = info.getWorkflowId() + "/" + info.getRunId() + "/" + info.getActivityId();
            for (AuditEvent earlier : services.audit().events(change.runId())) {
                if (ACTION.equals(earlier.action()) && key.equals(earlier.payload().path("idempotency_key").asText())) {
                    return receipt(earlier, change);
                }
            }
            ObjectNode payload = JsonNodeFactory.instance.objectNode();
            payload.put("idempotency_key", key);
            payload.put("workflow_id", change.workflowId());
            payload.put("phase_execution", change.phaseExecutionId());
            payload.put("from_principle_set", change.fromPrincipleSet());
            payload.put("to_principle_set", change.toPrincipleSet());
            payload.put("effective_iteration", change.effectiveIteration());
            AuditEvent e = services.audit().append(change.runId(), change.actor(), ACTION, change.reason(), payload);
            return receipt(e, change);
        } catch (RuntimeException e) {
            throw Failures.toActivityFailure(e);
        }
    }

    private static PrincipleChangeReceipt receipt(AuditEvent e, PrincipleChangeRecord change) {
        return new PrincipleChangeReceipt(e.id(), e.createdAt().toString(), change.actor(), change.reason(),
                change.fromPrincipleSet(), change.toPrincipleSet(), change.effectiveIteration());
    }
}
