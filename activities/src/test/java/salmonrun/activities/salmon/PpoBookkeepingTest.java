package salmonrun.activities.salmon;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PpoBookkeepingTest {

    @Test
    void eachEpochVisitsEveryFullBatchOnceAndTheOrderIsReproducible() {
        PromptSchedule s = new PromptSchedule(10, 3, 2, 42);
        assertEquals(3, s.stepsPerEpoch());
        assertEquals(6, s.totalSteps());
        Set<Integer> epoch0 = new HashSet<>();
        for (int step = 0; step < 3; step++) {
            for (int i : s.promptsForStep(step)) {
                assertTrue(epoch0.add(i), "prompt " + i + " repeated within an epoch");
            }
        }
        assertEquals(9, epoch0.size(), "one prompt of 10 is dropped with the incomplete batch");
        PromptSchedule again = new PromptSchedule(10, 3, 2, 42);
        for (int step = 0; step < 6; step++) {
            assertArrayEquals(s.promptsForStep(step), again.promptsForStep(step));
        }
        assertFalse(java.util.Arrays.equals(s.promptsForStep(0), s.promptsForStep(3)), "epochs reshuffle");
        assertThrows(IllegalArgumentException.class, () -> s.promptsForStep(6));
        var e = assertThrows(IllegalArgumentException.class, () -> new PromptSchedule(2, 3, 1, 1));
        assertTrue(e.getMessage().contains("rolloutBatchSize"), e.getMessage());
    }

    @Test
    void readsTheAggregatedPreferenceShape() {
        String json = """
                [{"instruction": "Add 2 and 3.", "input": "", "output_1": "5", "output_2": "It is 6.",
                  "preference": 1, "dimensions": ["Correct", "Concise"], "negative_definitions": [0, 1],
                  "doinate_dimension_idx": 1},
                 {"instruction": "Hi", "input": "there", "output_1": "a", "output_2": "b", "preference": 2,
                  "dimensions": ["Polite"], "dominant_dimension_idx": 0}]""";
        List<RmPair> pairs = PreferenceDatasetReader.read(json.getBytes(StandardCharsets.UTF_8), "prefs.json");
        assertEquals(2, pairs.size());
        assertEquals(List.of(false, true), pairs.get(0).negated());
        assertEquals("not Concise", pairs.get(0).dominantLabel());
        assertEquals("Hi\n\nthere", pairs.get(1).instruction());
        assertEquals(List.of(false), pairs.get(1).negated());

        var e = assertThrows(IllegalArgumentException.class, () -> PreferenceDatasetReader.read(
                "{\"instruction\":\"x\",\"output_1\":\"a\",\"output_2\":\"b\",\"preference\":3,\"dimensions\":[\"P\"],\"dominant_dimension_idx\":0}"
                        .getBytes(StandardCharsets.UTF_8), "p.jsonl"));
        assertTrue(e.getMessage().contains("p.jsonl record 1") && e.getMessage().contains("preference"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PreferenceDatasetReader.read(
                "{\"instruction\":\"x\",\"output_1\":\"a\",\"preference\":1,\"dimensions\":[\"P\"],\"dominant_dimension_idx\":0}"
                        .getBytes(StandardCharsets.UTF_8), "p.jsonl"));
        assertTrue(e.getMessage().contains("output_2"), e.getMessage());
    }

    @Test
    void accuracyIsTalliedPerDecidingPrinciple() {
        RmPair concise = new RmPair("i", "a", "b", 1, List.of("Concise"), List.of(false), 0);
        RmPair notConcise = new RmPair("i", "a", "b", 2, List.of("Concise"), List.of(true), 0);
        PairwiseAccuracy acc = new PairwiseAccuracy();
        acc.add(concise, 1.0, 0.0);      // right
        acc.add(concise, 0.0, 1.0);      // wrong
        acc.add(notConcise, 0.0, 1.0);   // right
        acc.add(notConcise, 1.0, 1.0);   // tie: wrong
        assertEquals(0.5, acc.accuracy(), 1e-12);
        assertEquals(0.5, acc.perPrinciple().get("Concise").get("accuracy"), 1e-12);
        assertEquals(2.0, acc.perPrinciple().get("not Concise").get("pairs"), 1e-12);
    }

    @Test
    void rolloutsRoundTripThroughJsonLines() {
        List<Rollout> rs = List.of(new Rollout(3, 17, "Add 2 and 3.", 1, List.of("No self-praise", "Numerical"),
                "5\n\"quoted\"", false, 12, 1.25, -0.5, -6.0, 0.3));
        List<Rollout> back = Rollout.fromJsonl(Rollout.toJsonl(rs));
        assertEquals(rs, back);
        assertEquals(1.25 - 0.5 - 6.0, back.get(0).score(), 1e-12);
    }
}
