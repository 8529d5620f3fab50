package salmonrun.activities.preferences;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import salmonrun.activities.common.PhaseConfigs;
import salmonrun.activities.salmon.AggregationConfig;
import salmonrun.activities.salmon.JudgingPhase;
import salmonrun.activities.salmon.ResponsePairsPhase;

/** The {@code preferences} section of a RunSpec: {@code pairs}, {@code judging}, {@code aggregation}. */
public record PreferencesConfig(ResponsePairsPhase.Config pairs, JudgingPhase.Config judging,
                                AggregationConfig aggregation) {

    static final Set<String> SECTIONS = Set.of("pairs", "judging", "aggregation");

    /** Reads the section strictly; {@code shards} (from the spec) wins over judging.shards. */
    public static PreferencesConfig of(JsonNode config, int shards) {
        PhaseConfigs.onlySections(config, SECTIONS, "preferences");
        JudgingPhase.Config j = PhaseConfigs.read(PhaseConfigs.section(config, "judging"),
                JudgingPhase.Config.defaults(), JudgingPhase.Config.class, "preferences.judging");
        return new PreferencesConfig(
                PhaseConfigs.read(PhaseConfigs.section(config, "pairs"), ResponsePairsPhase.Config.reference(),
                        ResponsePairsPhase.Config.class, "preferences.pairs"),
                new JudgingPhase.Config(j.assistant(), j.dimensions(), j.batchSize(), shards),
                PhaseConfigs.read(PhaseConfigs.section(config, "aggregation"), AggregationConfig.reference(),
                        AggregationConfig.class, "preferences.aggregation"));
    }
}
