package salmonrun.workflows.ppo;

/** A request to switch a running PPO's RL-time principles: who asks, why, and the new principle set id. */
public record PrincipleChange(String actor, String reason, Long principleSet) {}
