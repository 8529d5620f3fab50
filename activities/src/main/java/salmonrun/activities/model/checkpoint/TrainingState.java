package salmonrun.activities.model.checkpoint;

import java.util.Map;
import salmonrun.activities.model.HostTensor;

/**
 * What a resumed run needs besides the weights: optimizer steps taken, AdamW moments
 * ({@code exp_avg.<param>}, {@code exp_avg_sq.<param>}) and free-form string facts (seed, data position ...).
 */
public record TrainingState(long step, Map<String, HostTensor> optimizer, Map<String, String> info) {
    public TrainingState {
        info = Map.copyOf(info);
    }
}
