package salmonrun.activities.salmon;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.sandbox.Attribute;
import salmonrun.activities.sandbox.Grade;
import salmonrun.activities.sandbox.Grader;
import salmonrun.activities.sandbox.Instruction;
import salmonrun.activities.sandbox.LabellingTarget;
import salmonrun.activities.sandbox.Verdict;

/**
 * The sandbox grader as ground truth for judge statistics, with the same decisiveness rule as the sandbox's
 * JudgeCheck: for a principle that maps to a grader attribute, the output with the better established
 * verdict wins (0 when either is unknown or both agree); for a composite principle, a composite difference
 * of at least 15 points decides. Principles the grader cannot establish, and instructions it does not know,
 * give 0.
 */
public final class SandboxGraderVerdict implements GraderVerdict {
    /** Composite points that make a pair decisive for composite principles. */
    public static final int COMPOSITE_MARGIN = 15;

    private final Map<String, Instruction> byText = new HashMap<>();
    private final Grader grader = new Grader();

    public SandboxGraderVerdict(Collection<Instruction> instructions) {
        instructions.forEach(i -> byText.put(i.text(), i));
    }

    /** Whether the grader can establish this principle at all. */
    public static boolean gradable(Principle p) {
        return LabellingTarget.of(p.name(), p.definition()).isPresent();
    }

    @Override
    public int preferred(ResponsePair pair, Principle principle) {
        Instruction ins = byText.get(pair.prompt().instruction());
        Optional<LabellingTarget> t = LabellingTarget.of(principle.name(), principle.definition());
        if (ins == null || t.isEmpty() || !t.get().appliesTo(ins.kind())) {
            return 0;
        }
        Grade g1 = grader.grade(ins, pair.output1());
        Grade g2 = grader.grade(ins, pair.output2());
        Attribute a = t.get().attributeFor(ins.kind());
        if (a == null) {
            int diff = g1.composite() - g2.composite();
            return Math.abs(diff) < COMPOSITE_MARGIN ? 0 : diff > 0 ? 1 : 2;
        }
        Verdict v1 = g1.get(a);
        Verdict v2 = g2.get(a);
        if (v1 == Verdict.UNKNOWN || v2 == Verdict.UNKNOWN || v1 == v2) {
            return 0;
        }
        boolean firstBetter = (v1 == Verdict.TRUE) ^ t.get().inverted();
        return firstBetter ? 1 : 2;
    }
}
