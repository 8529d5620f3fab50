package salmonrun.workflows.ppo;

/** The recorded change: audit event id and time (ISO-8601, from the audit row), and the iteration it applies from. */
public record PrincipleChangeReceipt(long auditEventId, String recordedAt, String actor, String reason,
                                     long fromPrincipleSet, long toPrincipleSet, int effectiveIteration) {}
