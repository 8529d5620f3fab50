package salmonrun.worker.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.eval.EvalActivities;
import salmonrun.workflows.ppo.PpoActivities;
import salmonrun.workflows.preferences.PreferencesActivities;
import salmonrun.workflows.rewardmodel.RewardModelActivities;
import salmonrun.workflows.selfalign.SelfAlignActivities;

/**
 * Which parts of the pipeline are built: a phase is wired when the production worker registers an implementation
 * of its activity interface, and the base model when a sandbox pretrainer exists. The demo runs only wired phases
 * (never a stand-in) and names the others.
 *
 * @param pretrain whether the sandbox base model can be pretrained
 * @param phases   phase name (pipeline order) to whether its activities are implemented
 */
public record DemoPieces(boolean pretrain, Map<String, Boolean> phases) {

    /** Activity interface each phase's workflow calls. */
    static final Map<String, Class<?>> ACTIVITY_INTERFACES = Map.of(
            PhaseNames.SELF_ALIGN, SelfAlignActivities.class,
            PhaseNames.PREFERENCES, PreferencesActivities.class,
            PhaseNames.REWARD_MODEL, RewardModelActivities.class,
            PhaseNames.PPO, PpoActivities.class,
            PhaseNames.EVAL, EvalActivities.class);

    public DemoPieces {
        phases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }

    /** Inspects the activity implementations a production worker registers. */
    public static DemoPieces detect(boolean pretrain, List<Object> activities) {
        Map<String, Boolean> wired = new LinkedHashMap<>();
        for (String phase : PhaseNames.ALL) {
            Class<?> iface = ACTIVITY_INTERFACES.get(phase);
            wired.put(phase, activities.stream().anyMatch(iface::isInstance));
        }
        return new DemoPieces(pretrain, wired);
    }

    /**
     * The phases this demo can run for real, in pipeline order: wired phases whose inputs come from the base model
     * or from an earlier phase that runs too.
     */
    public List<String> runnable() {
        List<String> out = new ArrayList<>();
        if (!pretrain) {
            return out;
        }
        for (String phase : PhaseNames.ALL) {
            if (!phases.get(phase)) {
                continue;
            }
            boolean inputs = switch (phase) {
                case PhaseNames.SELF_ALIGN, PhaseNames.EVAL -> true;
                case PhaseNames.PREFERENCES -> out.contains(PhaseNames.SELF_ALIGN);
                case PhaseNames.REWARD_MODEL -> out.contains(PhaseNames.PREFERENCES);
                case PhaseNames.PPO -> out.contains(PhaseNames.SELF_ALIGN) && out.contains(PhaseNames.REWARD_MODEL);
                default -> false;
            };
            if (inputs) {
                out.add(phase);
            }
        }
        return out;
    }

    /** Pieces of the full pipeline that cannot run yet, with the reason, in pipeline order. */
    public Map<String, String> missing() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!pretrain) {
            out.put("pretrain", "sandbox base-model pretraining is not built yet");
        }
        List<String> runnable = runnable();
        for (String phase : PhaseNames.ALL) {
            if (!phases.get(phase)) {
                out.put(phase, "no " + ACTIVITY_INTERFACES.get(phase).getSimpleName()
                        + " implementation is registered by the worker yet");
            } else if (!runnable.contains(phase)) {
                out.put(phase, "built, but its inputs come from a piece that is not built yet");
            }
        }
        return out;
    }

    /** Whether the whole pipeline can run. */
    public boolean complete() {
        return missing().isEmpty();
    }
}
