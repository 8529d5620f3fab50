package salmonrun.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;

class SelfAlignContextTest {

    private static List<Principle> rules(int n) {
        List<Principle> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new Principle("R" + i, "Rule number " + i + " says something.", null, 1, Role.SELF_ALIGN));
        }
        return out;
    }

    private static final List<Exemplar> EXEMPLARS = List.of(
            new Exemplar("Q1", SandboxFormats.THOUGHT_PREFIX + " Sum. I should follow rules 7 (R7), 3 (R3).", "A1"),
            new Exemplar("Q2", SandboxFormats.THOUGHT_PREFIX + " Fact. I should follow rules 9 (R9).", "A2"));

    @Test
    void rewritesCitationsToTheNewNumbers() {
        assertEquals("x. I should follow rules 2 (R7), 1 (R3).",
                SelfAlignContext.rewrite("x. I should follow rules 7 (R7), 3 (R3).", Map.of(3, 1, 7, 2)));
        assertEquals("x. I should follow rule 1 (R3).",
                SelfAlignContext.rewrite("x. I should follow rules 7 (R7), 3 (R3).", Map.of(3, 1)));
    }

    @Test
    void keepsCitedRulesAndFillsTheBudgetInSetOrder() {
        SelfAlignContext all = SelfAlignContext.fit(rules(12), EXEMPLARS, 2, String::length, 100_000, 0);
        assertEquals(12, all.rules().size());
        assertEquals(2, all.examples().size());

        int small = SelfAlignContext.fit(rules(12), EXEMPLARS.subList(0, 1), 1, String::length, 100_000, 0).prompt("").length()
                - 6 * 40;
        SelfAlignContext fitted = SelfAlignContext.fit(rules(12), EXEMPLARS.subList(0, 1), 1, String::length, small, 0);
        List<String> names = fitted.rules().stream().map(SandboxFormats.RuleLine::name).toList();
        assertTrue(names.contains("R3") && names.contains("R7"), names.toString());
        assertTrue(names.size() < 12);
        assertTrue(fitted.prompt("").length() <= small);
        int r3 = names.indexOf("R3") + 1;
        int r7 = names.indexOf("R7") + 1;
        assertEquals(SandboxFormats.THOUGHT_PREFIX + " Sum. I should follow rules " + r7 + " (R7), " + r3 + " (R3).",
                fitted.examples().get(0).thoughts());
    }

    @Test
    void dropsExemplarsBeforeFailing() {
        int oneRuleNoExamples = SelfAlignContext.fit(rules(1), List.of(), 0, String::length, 100_000, 0).prompt("").length();
        SelfAlignContext bare = SelfAlignContext.fit(rules(5), EXEMPLARS, 2, String::length, oneRuleNoExamples + 5, 0);
        assertEquals(0, bare.examples().size());
        assertEquals(1, bare.rules().size());
        assertThrows(IllegalArgumentException.class, () -> SelfAlignContext.fit(rules(5), EXEMPLARS, 2, String::length, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> SelfAlignContext.fit(List.of(), EXEMPLARS, 2, String::length, 10_000, 0));
    }
}
