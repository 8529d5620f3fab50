package salmonrun.workflows.common;

import java.util.List;

/** Phase names as they appear in RunSpec.phases, lineage rows and child workflow ids, in pipeline order. */
public final class PhaseNames {
    public static final String SELF_ALIGN = "self_align";
    public static final String PREFERENCES = "preferences";
    public static final String REWARD_MODEL = "reward_model";
    public static final String PPO = "ppo";
    public static final String EVAL = "eval";
    public static final List<String> ALL = List.of(SELF_ALIGN, PREFERENCES, REWARD_MODEL, PPO, EVAL);

    private PhaseNames() {}
}
