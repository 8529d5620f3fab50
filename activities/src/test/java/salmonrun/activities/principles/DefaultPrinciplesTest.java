package salmonrun.activities.principles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultPrinciplesTest {
    private static final Path REPO_DEFAULT = Path.of("..", "principles", "salmon-default.yaml");

    @Test
    void defaultSetHasTheRequiredRolesAndCounts() {
        PrincipleSet set = DefaultPrinciples.principles();
        assertEquals("salmon-default", set.name());
        assertNull(set.id());
        assertEquals(64, set.contentHash().length());
        assertEquals(17, set.withRole(Role.SELF_ALIGN).size());
        assertEquals(17, set.withRole(Role.LABELLING).size());
        assertEquals(14, set.withRole(Role.RL).size());
        assertEquals(3, set.withRole(Role.INTERVENTION).size());
        for (Principle p : set.withRole(Role.LABELLING)) {
            assertNotNull(p.negativeDefinition(), p.name());
        }
        for (Principle p : set.withRole(Role.RL)) {
            assertTrue(p.weight() >= 1 && p.weight() <= 4 && p.weight() == Math.rint(p.weight()),
                    p.name() + " weight " + p.weight());
        }
        assertEquals(4.0, set.find(Role.RL, "Candid").weight());
    }

    @Test
    void labellingCoversWhatTheSandboxGraderChecks() {
        PrincipleSet set = DefaultPrinciples.principles();
        for (String name : List.of("Correct", "Admits Unknowns", "Harmless", "Concise", "Detailed", "Polite",
                "Humble", "On Topic")) {
            assertNotNull(set.find(Role.LABELLING, name), name);
        }
    }

    @Test
    void rlPrinciplesKeepTheNamesThatPromptTypeBoostsMatch() {
        // PPO boosts RL principles whose names contain these words (salmon-method.md, P12).
        List<String> names = DefaultPrinciples.principles().withRole(Role.RL).stream().map(Principle::name).toList();
        assertTrue(names.stream().anyMatch(n -> n.toLowerCase().contains("reason")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.toLowerCase().contains("numerical")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.toLowerCase().contains("harmless")), names.toString());
    }

    @Test
    void everyDefinitionIsOneShortSentence() {
        for (Principle p : DefaultPrinciples.principles().principles()) {
            for (String text : new String[] {p.definition(), p.negativeDefinition()}) {
                if (text == null) {
                    continue;
                }
                String where = p.role().dbName() + "/" + p.name() + ": " + text;
                assertTrue(text.endsWith("."), where);
                assertEquals(1, text.split("[.!?](\\s|$)").length, "one sentence: " + where);
                assertTrue(text.split("\\s+").length <= 20, "at most 20 words: " + where);
            }
        }
    }

    @Test
    void sixShortExemplarsWithThePrefixCitingTheDefaultRules() {
        ExemplarSet ex = DefaultPrinciples.exemplars();
        assertEquals(6, ex.exemplars().size());
        for (Exemplar e : ex.exemplars()) {
            assertTrue(e.internalThoughts().startsWith(Exemplar.THOUGHTS_PREFIX + " "), e.internalThoughts());
            assertTrue(e.response().split("\\s+").length < 50, "under 50 words: " + e.response());
            assertTrue(e.internalThoughts().contains("I should follow rules "), e.internalThoughts());
        }
        List<ExemplarRuleReferences.Reference> refs = ExemplarRuleReferences.references(ex);
        assertTrue(refs.size() >= 12, "every exemplar cites at least two rules: " + refs);
        assertEquals(List.of(), ExemplarRuleReferences.mismatches(ex, DefaultPrinciples.principles()));
        assertEquals(java.util.Set.of(2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 15), ExemplarRuleReferences.citedRules(ex));
    }

    @Test
    void ruleCitationsThatDoNotMatchThePrincipleSetAreFound() {
        ExemplarSet ex = ExemplarSet.of("wrong", List.of(new Exemplar("Hi",
                Exemplar.THOUGHTS_PREFIX + " I should follow rules 3 (Helpful), 2 (Candid), 40 (Missing).", "Hello.")));
        assertEquals(List.of(
                "exemplar 1 cites rule 2 (Candid) but rule 2 of salmon-default is Informative",
                "exemplar 1 cites rule 40 (Missing) but salmon-default has 17 self-align rules"),
                ExemplarRuleReferences.mismatches(ex, DefaultPrinciples.principles()));
    }

    @Test
    void classpathCopyIsTheRepositoryFile() {
        // The build packages principles/ onto the classpath; both must parse to the same version.
        assertEquals(PrincipleSetFiles.read(REPO_DEFAULT).contentHash(), DefaultPrinciples.principles().contentHash());
    }
}
