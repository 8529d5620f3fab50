package salmonrun.workflows.ppo;

/**
 * The recorded change: audit event id and time (ISO-8601, from the audit row), and the first iteration scheduled
 * with it (a running iteration already switches at its next rollout; the audit event
 * {@code ppo.rl_principles.applied} names that PPO step).
 */
public record PrincipleChangeReceipt(long auditEventId, String recordedAt, String actor, String reason,
                                     long fromPrincipleSet, long toPrincipleSet, int effectiveIteration) {}
