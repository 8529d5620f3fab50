package salmonrun.activities.sandbox;

import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.DefaultPrinciples;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LabellingTargetTest {

    private static String describe(Principle p) {
        Optional<LabellingTarget> t = LabellingTarget.of(p.name(), p.definition());
        return t.map(LabellingTarget::describe).orElse("-");
    }

    @Test
    void theShippedRlAndInterventionPrinciplesMapToTheAttributeTheyName() {
        Map<String, String> got = new TreeMap<>();
        for (Role role : new Role[] {Role.RL, Role.INTERVENTION}) {
            for (Principle p : DefaultPrinciples.principles().withRole(role)) {
                got.put(p.name(), describe(p));
            }
        }
        // What a reward model shown these at RL time can be checked against; the rest the grader cannot establish.
        assertEquals(new TreeMap<>(Map.ofEntries(Map.entry("Truthful", "correct_or_honest"), Map.entry("Harmless", "harmless"),
                Map.entry("Instructive", "-"), Map.entry("Imaginative", "-"), Map.entry("Same Language", "-"),
                Map.entry("Thorough", "-"), Map.entry("Natural", "-"), Map.entry("Coherent Reasoning", "-"),
                Map.entry("Numerical Care", "correct"), Map.entry("Structured", "-"), Map.entry("Lively", "-"),
                Map.entry("Privacy", "-"), Map.entry("Candid", "honest"), Map.entry("Self-Contained", "-"),
                Map.entry("No Self-Praise", "no_self_praise"), Map.entry("Just Do It", "-"),
                Map.entry("On Point", "on_topic"))), got);
    }
}
