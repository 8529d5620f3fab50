package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PhaseConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void defaultsAreTheReferenceSettingsAndValid() {
        PpoConfig p = PpoConfig.defaults().validated();
        assertEquals(576, p.rolloutBatchSize());
        assertEquals(288, p.stepBatchSize());
        assertEquals(0.01, p.klCoef());
        assertEquals(10.0, p.rewardScale());
        assertEquals(-6.0, p.unfinishedPenalty());
        assertEquals(-0.4, p.lengthBonusMultiplier(1, null));
        assertEquals(0.5, p.lengthBonusMultiplier(1, 0.5));
        assertEquals(3, p.principlesPerPrompt());
        RewardModelConfig r = RewardModelConfig.defaults().validated();
        assertEquals(3e-5, r.learningRate());
        assertEquals(1280, r.maxTokens());
        PpoConfig.ci().validated();
        RewardModelConfig.ci().validated();
    }

    @Test
    void everyFieldIsOverridableFromJson() throws Exception {
        PpoConfig p = PpoConfig.fromJson(JSON.readTree("""
                {"klCoef": 0.05, "principlesPerPrompt": 2, "lengthBonusMultipliers": {"0": -1.0},
                 "boosts": [{"promptType": 0, "nameKeywords": ["concise"], "bonus": 50}]}"""));
        assertEquals(0.05, p.klCoef());
        assertEquals(-1.0, p.lengthBonusMultiplier(0, null));
        assertEquals(List.of(new WeightBoost(0, List.of("concise"), 50)), p.boosts());
        assertEquals(576, p.rolloutBatchSize(), "untouched fields keep their defaults");
    }

    private static void rejects(String field, Runnable r) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, r::run);
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void badConfigsAreRejectedNamingTheField() {
        rejects("klCoefficient", () -> PpoConfig.defaults().with(Map.of("klCoefficient", 0.1)));
        rejects("stepBatchSize", () -> PpoConfig.defaults().with(Map.of("stepBatchSize", 100)));
        rejects("clipRange", () -> PpoConfig.defaults().with(Map.of("clipRange", 1.5)));
        rejects("klEstimator", () -> PpoConfig.defaults().with(Map.of("klEstimator", "k2")));
        rejects("temperature", () -> PpoConfig.defaults().with(Map.of("temperature", 0)));
        rejects("gamma", () -> PpoConfig.defaults().with(Map.of("gamma", 1.5)));
        rejects("boosts[0].bonus", () -> PpoConfig.defaults().with(Map.of("boosts",
                List.of(Map.of("promptType", 1, "nameKeywords", List.of("x"), "bonus", -1)))));
        rejects("rolloutBatchSize", () -> PpoConfig.defaults().with(Map.of("rolloutBatchSize", "many")));
        rejects("learningRate", () -> RewardModelConfig.defaults().with(Map.of("learningRate", -1)));
        rejects("microBatchPairs", () -> RewardModelConfig.defaults().with(Map.of("microBatchPairs", 7)));
        rejects("heldOutFraction", () -> RewardModelConfig.defaults().with(Map.of("heldOutFraction", 1.0)));
        rejects("schedule", () -> RewardModelConfig.defaults().with(Map.of("schedule", "linear")));
    }
}
