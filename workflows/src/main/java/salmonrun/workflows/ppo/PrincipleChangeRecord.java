package salmonrun.workflows.ppo;

/** What the audit log records for a principle change, and from which PPO iteration on it applies. */
public record PrincipleChangeRecord(Long runId, long phaseExecutionId, String workflowId, String actor,
                                    String reason, long fromPrincipleSet, long toPrincipleSet,
                                    int effectiveIteration) {}
