package salmonrun.activities.sandbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.salmon.GraderVerdict;
import salmonrun.activities.salmon.ResponsePair;

/**
 * The sandbox grader as the phases' {@link GraderVerdict}: which output of a pair is better under a labelling
 * principle (1 or 2), or 0 when the instruction is not a sandbox instruction, the principle has no grader
 * attribute, or the grader cannot separate the two outputs.
 */
public final class SandboxGraderVerdict implements GraderVerdict {

    /** Composite points one output must lead by for "overall" principles to be decisive. */
    public static final int COMPOSITE_MARGIN = 15;

    private final Map<String, Instruction> byText = new HashMap<>();
    private final Grader grader = new Grader();

    /** A verdict source for pairs whose prompts are these instructions (matched by normalised text). */
    public SandboxGraderVerdict(List<Instruction> instructions) {
        for (Instruction i : instructions) {
            byText.put(Split.normalise(i.text()), i);
        }
    }

    @Override
    public int preferred(ResponsePair pair, Principle principle) {
        Instruction ins = byText.get(Split.normalise(pair.prompt().instruction()));
        if (ins == null) {
            return 0;
        }
        return preferred(ins, pair.output1(), pair.output2(), principle.name(), principle.definition());
    }

    /** 1 if {@code o1} is better under the principle, 2 if {@code o2} is, 0 if undecided or ungradable. */
    public int preferred(Instruction ins, String o1, String o2, String principleName, String definition) {
        Optional<LabellingTarget> target = LabellingTarget.of(principleName, definition);
        if (target.isEmpty() || !target.get().appliesTo(ins.kind())) {
            return 0;
        }
        Grade g1 = grader.grade(ins, o1);
        Grade g2 = grader.grade(ins, o2);
        Attribute a = target.get().attributeFor(ins.kind());
        if (a == null) {
            int diff = g1.composite() - g2.composite();
            return Math.abs(diff) < COMPOSITE_MARGIN ? 0 : diff > 0 ? 1 : 2;
        }
        Verdict v1 = g1.get(a);
        Verdict v2 = g2.get(a);
        if (v1 == Verdict.UNKNOWN || v2 == Verdict.UNKNOWN || v1 == v2) {
            return 0;
        }
        boolean firstBetter = (v1 == Verdict.TRUE) ^ target.get().inverted();
        return firstBetter ? 1 : 2;
    }
}
