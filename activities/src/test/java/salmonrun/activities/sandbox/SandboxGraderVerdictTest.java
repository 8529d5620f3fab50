package salmonrun.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.DefaultPrinciples;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;
import salmonrun.activities.salmon.Prompt;
import salmonrun.activities.salmon.ResponsePair;

class SandboxGraderVerdictTest {

    private final List<Instruction> test = InstructionGenerator.standard().sample(Split.TEST, 140, 4);
    private final SandboxGraderVerdict verdict = new SandboxGraderVerdict(test);
    private final ResponseWriter writer = ResponseWriter.standard();

    /** Own principles, so the test does not depend on the shipped set's names. */
    private static Principle labelling(String name) {
        return new Principle(name, "The answer is " + name.toLowerCase() + ".", "The answer is not " + name.toLowerCase() + ".", 1, Role.LABELLING);
    }

    @Test
    void prefersTheOutputTheGraderPrefersForEveryGradablePrinciple() {
        SplittableRandom rng = new SplittableRandom(8);
        int decided = 0;
        for (Principle p : DefaultPrinciples.principles().withRole(Role.LABELLING)) {
            var target = LabellingTarget.of(p.name(), p.definition());
            for (Instruction ins : test) {
                if (target.isEmpty() || !target.get().appliesTo(ins.kind()) || target.get().attributeFor(ins.kind()) == null) {
                    continue;
                }
                Attribute a = target.get().attributeFor(ins.kind());
                Style s = Style.random(rng, 0.5);
                String good = writer.write(ins, s.with(a, !target.get().inverted()), rng);
                String bad = writer.write(ins, s.with(a, target.get().inverted()), rng);
                assertEquals(1, verdict.preferred(new ResponsePair(0, Prompt.of(ins.text()), good, bad), p), p.name() + " " + ins.text());
                assertEquals(2, verdict.preferred(new ResponsePair(0, Prompt.of(ins.text()), bad, good), p), p.name());
                decided++;
            }
        }
        assertEquals(true, decided > 500, "decided " + decided);
    }

    @Test
    void undecidableCasesAreZero() {
        Instruction ins = test.get(0);
        String a = writer.write(ins, Style.good(), new SplittableRandom(1));
        assertEquals(0, verdict.preferred(new ResponsePair(0, Prompt.of("Not a sandbox instruction"), a, "x"), labelling("Polite")));
        assertEquals(0, verdict.preferred(new ResponsePair(0, Prompt.of(ins.text()), a, "x"), labelling("Creative")));
        assertEquals(0, verdict.preferred(new ResponsePair(0, Prompt.of(ins.text()), a, a), labelling("Polite")));
        assertEquals(1, verdict.preferred(new ResponsePair(0, Prompt.of(ins.text()), a, "ok"), labelling("Helpful")));
    }

    @Test
    void corpusReviewCriteriaMapToTheAttributeTheyReview() {
        for (JudgeCheck.Criterion c : RuleBank.reviewCriteria()) {
            LabellingTarget t = LabellingTarget.of(c.name(), c.definition()).orElseThrow(() -> new AssertionError(c.name()));
            Attribute reviewed = RuleBank.CRITERIA.entrySet().stream().filter(e -> e.getValue().contains(c.definition()))
                    .findFirst().orElseThrow().getKey();
            if (reviewed == Attribute.HONEST) {
                assertEquals(LabellingTarget.Mode.CONTENT, t.mode(), c.name());   // honest is the content of its kinds
            } else {
                assertEquals(reviewed, t.attribute(), c.name());
            }
        }
        assertEquals(Attribute.values().length, RuleBank.reviewCriteria().size());
    }
}
