package salmonrun.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstructionGeneratorTest {

    private final InstructionGenerator gen = InstructionGenerator.standard();

    @Test
    void sameSeedSameInstructionsDifferentSeedDifferent() {
        assertEquals(gen.sample(Split.TRAIN, 300, 7), gen.sample(Split.TRAIN, 300, 7));
        assertEquals(gen.sample(Split.TEST, 100, 7), InstructionGenerator.standard().sample(Split.TEST, 100, 7));
        assertNotEquals(gen.sample(Split.TRAIN, 300, 7), gen.sample(Split.TRAIN, 300, 8));
    }

    @Test
    void splitsNeverShareAnInstruction() {
        Map<Split, Set<String>> texts = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            Set<String> set = new HashSet<>();
            for (long seed = 1; seed <= 3; seed++) {
                for (Instruction ins : gen.sample(split, split == Split.TRAIN ? 1500 : 300, seed)) {
                    assertEquals(split, ins.split(), ins.text());
                    set.add(Split.normalise(ins.text()));
                }
            }
            texts.put(split, set);
        }
        for (Split a : Split.values()) {
            for (Split b : Split.values()) {
                if (a != b) {
                    Set<String> shared = new HashSet<>(texts.get(a));
                    shared.retainAll(texts.get(b));
                    assertTrue(shared.isEmpty(), a + " and " + b + " share " + shared);
                }
            }
        }
    }

    @Test
    void splitIgnoresCaseAndSpacing() {
        for (Instruction ins : gen.sample(Split.TEST, 50, 3)) {
            assertEquals(Split.TEST, Split.of("  " + ins.text().toUpperCase().replace(" ", "   ") + "\n"));
        }
    }

    @Test
    void sampleIsDistinctAndCoversEveryKind() {
        List<Instruction> test = gen.sample(Split.TEST, 210, 11);
        assertEquals(210, test.size());
        Set<String> distinct = new HashSet<>();
        test.forEach(i -> distinct.add(Split.normalise(i.text())));
        assertEquals(210, distinct.size());
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        test.forEach(i -> counts.merge(i.kind(), 1, Integer::sum));
        for (Kind k : Kind.values()) {
            assertTrue(counts.getOrDefault(k, 0) >= 15, k + " only " + counts.get(k));
        }
    }

    @Test
    void knowledgeBaseQuestionsCarryTheRecordedTruth() {
        KnowledgeBase kb = gen.knowledgeBase();
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            Instruction a = gen.generate(Kind.KB_ANSWERABLE, rng);
            KnowledgeBase.Entity e = kb.entities().stream().filter(x -> x.name().equals(a.ignore().get(0))).findFirst().orElseThrow();
            assertEquals(e.facts().get(a.alternative()), a.answer());
            assertFalse(a.rivals().contains(a.answer()));
            Instruction u = gen.generate(Kind.KB_UNKNOWN, rng);
            KnowledgeBase.Entity ue = kb.entities().stream().filter(x -> x.name().equals(u.ignore().get(0))).findFirst().orElseThrow();
            assertNull(ue.facts().get(u.alternative()), u.text());
            assertNull(u.answer());
            Instruction p = gen.generate(Kind.FALSE_PREMISE, rng);
            assertNotNull(p.answer());
            assertNotEquals(p.answer(), p.alternative());
            assertTrue(p.text().contains(p.alternative()), p.text());
        }
    }

    @Test
    void knowledgeBaseIsFixedBySeed() {
        assertEquals(KnowledgeBase.generate(1, 10, 10).entities(), KnowledgeBase.generate(1, 10, 10).entities());
        assertNotEquals(KnowledgeBase.generate(1, 10, 10).entities(), KnowledgeBase.generate(2, 10, 10).entities());
    }
}
