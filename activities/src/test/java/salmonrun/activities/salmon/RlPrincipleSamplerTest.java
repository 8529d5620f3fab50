package salmonrun.activities.salmon;

import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RlPrincipleSamplerTest {
    private static Principle rl(String name, double w) {
        return new Principle(name, name + " definition.", null, w, Role.RL);
    }

    private static Principle intervention(String name) {
        return new Principle(name, name + " definition.", null, 1, Role.INTERVENTION);
    }

    private static final PrincipleSet SET = new PrincipleSet(null, "test", "h", List.of(
            rl("Alpha", 1), intervention("No self-praise"), rl("Beta", 1), rl("Gamma", 2),
            intervention("On point"), rl("Numerical Sensitive", 1), rl("Ethical", 1)));

    @Test
    void interventionPrinciplesComeFirstThenKDistinctRlPrinciples() {
        var sampler = new RlPrincipleSampler(SET, 3, WeightBoost.referenceDefaults());
        var rng = new SplitMixRandom(7);
        for (int i = 0; i < 200; i++) {
            List<Principle> got = sampler.sample(0, rng);
            assertEquals(5, got.size());
            assertEquals("No self-praise", got.get(0).name());
            assertEquals("On point", got.get(1).name());
            Set<String> rlNames = new HashSet<>();
            for (Principle p : got.subList(2, 5)) {
                assertEquals(Role.RL, p.role());
                rlNames.add(p.name());
            }
            assertEquals(3, rlNames.size(), "sampled without replacement");
        }
    }

    @Test
    void drawsWithoutReplacementProportionallyToWeight() {
        // weights a=1, b=1, c=2, k=2: P({a,b}) = 2 * (1/4)(1/3) = 1/6; P(c first) = 1/2
        PrincipleSet set = new PrincipleSet(null, "abc", "h", List.of(rl("a", 1), rl("b", 1), rl("c", 2)));
        var sampler = new RlPrincipleSampler(set, 2, List.of());
        var rng = new SplitMixRandom(42);
        int n = 60_000;
        int ab = 0;
        int cFirst = 0;
        for (int i = 0; i < n; i++) {
            List<Principle> got = sampler.sample(0, rng);
            Set<String> names = Set.of(got.get(0).name(), got.get(1).name());
            if (names.equals(Set.of("a", "b"))) {
                ab++;
            }
            if (got.get(0).name().equals("c")) {
                cFirst++;
            }
        }
        assertEquals(1.0 / 6, (double) ab / n, 0.01);
        assertEquals(0.5, (double) cFirst / n, 0.01);
    }

    @Test
    void promptTypeBoostsMatchNamesCaseInsensitively() {
        var sampler = new RlPrincipleSampler(SET, 1, WeightBoost.referenceDefaults());
        assertEquals(129.0, sampler.weight(rl("Numerical Sensitive", 1), 1));
        assertEquals(1.0, sampler.weight(rl("Numerical Sensitive", 1), 0));
        assertEquals(130.0, sampler.weight(rl("Consistent REASONING", 2), 1));
        assertEquals(129.0, sampler.weight(rl("Ethical", 1), 2));
        assertEquals(1.0, sampler.weight(rl("Ethical", 1), 1));
        // on a reasoning prompt the boosted principle is drawn almost always (129 of 134 weight)
        var rng = new SplitMixRandom(3);
        int hits = 0;
        for (int i = 0; i < 1000; i++) {
            if (sampler.sample(1, rng).get(2).name().equals("Numerical Sensitive")) {
                hits++;
            }
        }
        assertTrue(hits > 940, "boosted principle drawn " + hits + "/1000");
    }

    @Test
    void customBoostRulesReplaceTheReferenceOnes() {
        var sampler = new RlPrincipleSampler(SET, 1, List.of(new WeightBoost(0, List.of("alp"), 10)));
        assertEquals(11.0, sampler.weight(rl("Alpha", 1), 0));
        assertEquals(1.0, sampler.weight(rl("Numerical Sensitive", 1), 1));
    }

    @Test
    void sameSeedSameDrawsAndStateResumes() {
        var sampler = new RlPrincipleSampler(SET, 3, WeightBoost.referenceDefaults());
        var a = new SplitMixRandom(11);
        for (int i = 0; i < 5; i++) {
            sampler.sample(0, a);
        }
        var resumed = new SplitMixRandom(a.state());
        for (int i = 0; i < 20; i++) {
            assertEquals(sampler.sample(i % 3, a), sampler.sample(i % 3, resumed));
        }
    }

    @Test
    void zeroWeightPrinciplesAreNeverDrawnAndKIsCappedByAvailability() {
        PrincipleSet set = new PrincipleSet(null, "z", "h", List.of(rl("zero", 0), rl("one", 1)));
        var sampler = new RlPrincipleSampler(set, 3, List.of());
        var rng = new SplitMixRandom(1);
        for (int i = 0; i < 100; i++) {
            List<Principle> got = sampler.sample(0, rng);
            assertEquals(List.of("one"), got.stream().map(Principle::name).toList());
        }
    }

    @Test
    void aSetThatGivesNoPrinciplesIsRejected() {
        PrincipleSet none = new PrincipleSet(null, "labels-only", "h",
                List.of(new Principle("x", "d", "n", 1, Role.LABELLING)));
        var e = assertThrows(IllegalArgumentException.class, () -> new RlPrincipleSampler(none, 3, List.of()));
        assertTrue(e.getMessage().contains("labels-only"), e.getMessage());
    }
}
