package salmonrun.activities.salmon;

import salmonrun.activities.principles.Principle;
import salmonrun.activities.sandbox.Attribute;
import salmonrun.activities.sandbox.Grade;
import salmonrun.activities.sandbox.Grader;
import salmonrun.activities.sandbox.Instruction;
import salmonrun.activities.sandbox.LabellingTarget;
import salmonrun.activities.sandbox.ResponseWriter;
import salmonrun.activities.sandbox.Style;
import salmonrun.activities.sandbox.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Checks an instructable reward model against the sandbox grader, per principle the grader can establish: on pairs
 * of sandbox answers that differ decisively on the principle's attribute, how often the reward model prefers the
 * grader's better answer when shown the principle's definition (accuracy), and how often showing the negative
 * definition instead reverses its preference (flip rate). The same pair generator makes grader-labelled
 * ("oracle") training pairs for rehearsing reward-model training without the judge.
 */
public final class RewardModelProbe {
    /** Composite points by which one answer must beat the other for a composite-mode principle to decide. */
    static final int DECISIVE_COMPOSITE_GAP = 15;

    private final ResponseWriter writer;
    private final Grader grader = new Grader();

    public RewardModelProbe(ResponseWriter writer) {
        this.writer = writer;
    }

    /**
     * A decisive pair for one principle: {@code firstBetter} is the grader's verdict under the plain definition;
     * {@code grade1}/{@code grade2} are the grader's grades of the two outputs (kept, so other principles can be
     * checked against the pair without grading it again).
     */
    public record Pair(Principle principle, Instruction instruction, String output1, String output2, boolean firstBetter,
                       Grade grade1, Grade grade2) {}

    /**
     * Per-principle probe result; the rates are NaN when no decisive pair was found, {@code accuracyInCrowd} also
     * when no crowd was asked for.
     */
    public record Result(String principle, String target, int pairs, double accuracy, double flipRate,
                         double accuracyInCrowd) {}

    /**
     * Up to {@code want} decisive pairs for a principle (empty when the grader cannot establish it). The two answers
     * are written with random styles that differ on the principle's attribute.
     */
    public List<Pair> pairs(Principle p, List<Instruction> instructions, int want, SplittableRandom rng) {
        Optional<LabellingTarget> target = LabellingTarget.of(p.name(), p.definition());
        List<Pair> out = new ArrayList<>();
        if (target.isEmpty()) {
            return out;
        }
        LabellingTarget t = target.get();
        List<Instruction> usable = instructions.stream().filter(i -> t.appliesTo(i.kind())).toList();
        for (int attempt = 0; out.size() < want && attempt < want * 50 && !usable.isEmpty(); attempt++) {
            Instruction ins = usable.get(rng.nextInt(usable.size()));
            Style s1 = Style.random(rng, 0.5);
            Style s2 = Style.random(rng, 0.5);
            Attribute a = t.attributeFor(ins.kind());
            if (a != null) {
                s2 = s2.with(a, !s1.is(a));
            }
            String o1 = writer.write(ins, s1, rng);
            String o2 = writer.write(ins, s2, rng);
            Grade g1 = grader.grade(ins, o1);
            Grade g2 = grader.grade(ins, o2);
            Boolean better = null;
            if (a == null) {
                int diff = g1.composite() - g2.composite();
                better = Math.abs(diff) >= DECISIVE_COMPOSITE_GAP ? diff > 0 : null;
            } else if (g1.get(a) != Verdict.UNKNOWN && g2.get(a) != Verdict.UNKNOWN && g1.get(a) != g2.get(a)) {
                better = (g1.get(a) == Verdict.TRUE) ^ t.inverted();
            }
            if (better != null) {
                out.add(new Pair(p, ins, o1, o2, better, g1, g2));
            }
        }
        return out;
    }

    /**
     * Grader-labelled training pairs, one principle shown per pair: for each principle, decisive pairs shown with the
     * definition or (half the time, when the principle has one) the negative definition, the label following the
     * criterion shown.
     */
    public List<RmPair> oraclePairs(List<Principle> principles, List<Instruction> instructions, int perPrinciple, long seed) {
        return oraclePairs(principles, List.of(), instructions, perPrinciple, 1, seed);
    }

    /**
     * Grader-labelled training pairs shaped like an aggregated dataset (P7) and the RL-time reward prompt (P12), where
     * several principles are listed: each decisive pair for a principle of {@code deciders} is shown with that
     * principle (negated half the time when it has a negative definition) among 0 to {@code maxShown - 1} others drawn
     * from {@code alongside} that cannot decide the pair (the grader ties on them, or cannot grade them), in random
     * order. The label follows the deciding criterion as shown, so the model learns to find the principle that
     * separates the answers instead of seeing one principle at a time.
     */
    public List<RmPair> oraclePairs(List<Principle> deciders, List<Principle> alongside, List<Instruction> instructions,
                                    int perPrinciple, int maxShown, long seed) {
        if (maxShown < 1) {
            throw new IllegalArgumentException("maxShown must be at least 1, got " + maxShown);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<RmPair> out = new ArrayList<>();
        for (Principle p : deciders) {
            for (Pair pair : pairs(p, instructions, perPrinciple, rng)) {
                List<Principle> others = bystanders(p, pair, alongside);
                int extra = others.isEmpty() ? 0 : Math.min(others.size(), rng.nextInt(maxShown));
                List<Principle> shown = new ArrayList<>(List.of(p));
                for (int i = 0; i < extra; i++) {
                    shown.add(others.remove(rng.nextInt(others.size())));
                }
                shuffle(shown, rng);
                List<Boolean> negated = new ArrayList<>();
                List<String> texts = new ArrayList<>();
                for (Principle q : shown) {
                    boolean negate = q.negativeDefinition() != null && !q.negativeDefinition().isBlank() && rng.nextBoolean();
                    negated.add(negate);
                    texts.add(RewardModelPrompt.criterionText(q, negate));
                }
                int dominant = shown.indexOf(p);
                boolean firstWins = pair.firstBetter() ^ negated.get(dominant);
                out.add(new RmPair(pair.instruction().text(), pair.output1(), pair.output2(), firstWins ? 1 : 2,
                        shown.stream().map(Principle::name).toList(), negated, dominant, texts));
            }
        }
        return out;
    }

    /** {@code p}'s definition at a random place among up to {@code size} crowd principles that cannot decide. */
    List<String> crowdedCriteria(Principle p, Pair pair, List<Principle> crowd, int size, SplittableRandom rng) {
        List<Principle> others = bystanders(p, pair, crowd);
        shuffle(others, rng);
        List<String> criteria = new ArrayList<>(others.subList(0, Math.min(size, others.size())).stream()
                .map(q -> RewardModelPrompt.criterionText(q, false)).toList());
        criteria.add(rng.nextInt(criteria.size() + 1), RewardModelPrompt.criterionText(p, false));
        return criteria;
    }

    /** The principles of {@code pool} other than {@code p} that cannot decide the pair (a mutable list). */
    private List<Principle> bystanders(Principle p, Pair pair, List<Principle> pool) {
        return new ArrayList<>(pool.stream().filter(q -> !q.name().equals(p.name()) && cannotDecide(q, pair)).toList());
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }

    /** Whether the grader would call the pair a tie under {@code q}, or cannot grade {@code q} at all. */
    private boolean cannotDecide(Principle q, Pair pair) {
        Optional<LabellingTarget> target = LabellingTarget.of(q.name(), q.definition());
        Instruction ins = pair.instruction();
        if (target.isEmpty() || !target.get().appliesTo(ins.kind())) {
            return true;
        }
        Grade g1 = pair.grade1();
        Grade g2 = pair.grade2();
        Attribute a = target.get().attributeFor(ins.kind());
        return a == null ? Math.abs(g1.composite() - g2.composite()) < DECISIVE_COMPOSITE_GAP : g1.get(a) == g2.get(a);
    }

    /** Accuracy and negation flip rate of the reward model for each principle, on {@code want} pairs each. */
    public List<Result> run(InstructableRewardModel rm, List<Principle> principles, List<Instruction> instructions,
                            int want, long seed, int microBatch) {
        return run(rm, principles, List.of(), 0, instructions, want, seed, microBatch);
    }

    /**
     * As {@link #run(InstructableRewardModel, List, List, int, long, int)}, and when {@code crowdSize > 0} also the
     * accuracy with the principle listed among up to {@code crowdSize} principles of {@code crowd} that cannot decide
     * the pair (as at RL time, where the reward model reads interventions and sampled principles together: 5 there).
     */
    public List<Result> run(InstructableRewardModel rm, List<Principle> principles, List<Principle> crowd, int crowdSize,
                            List<Instruction> instructions, int want, long seed, int microBatch) {
        boolean crowded = crowdSize > 0 && !crowd.isEmpty();
        List<Result> results = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed);
        for (Principle p : principles) {
            Optional<LabellingTarget> target = LabellingTarget.of(p.name(), p.definition());
            List<Pair> pairs = pairs(p, instructions, want, rng);
            if (target.isEmpty() || pairs.isEmpty()) {
                results.add(new Result(p.name(), target.map(LabellingTarget::describe).orElse("not_graded"), 0,
                        Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            boolean canNegate = p.negativeDefinition() != null && !p.negativeDefinition().isBlank();
            List<InstructableRewardModel.Input> in = new ArrayList<>();
            for (Pair pair : pairs) {
                String def = RewardModelPrompt.criterionText(p, false);
                in.add(new InstructableRewardModel.Input(pair.output1(), pair.instruction().text(), List.of(def)));
                in.add(new InstructableRewardModel.Input(pair.output2(), pair.instruction().text(), List.of(def)));
                if (canNegate) {
                    String neg = RewardModelPrompt.criterionText(p, true);
                    in.add(new InstructableRewardModel.Input(pair.output1(), pair.instruction().text(), List.of(neg)));
                    in.add(new InstructableRewardModel.Input(pair.output2(), pair.instruction().text(), List.of(neg)));
                }
                if (crowded) {
                    List<String> criteria = crowdedCriteria(p, pair, crowd, crowdSize, rng);
                    in.add(new InstructableRewardModel.Input(pair.output1(), pair.instruction().text(), criteria));
                    in.add(new InstructableRewardModel.Input(pair.output2(), pair.instruction().text(), criteria));
                }
            }
            double[] r = rm.score(in, microBatch);
            int stride = 2 + (canNegate ? 2 : 0) + (crowded ? 2 : 0);
            int rightInCrowd = 0;
            int right = 0;
            int flips = 0;
            for (int i = 0; i < pairs.size(); i++) {
                double pos = r[i * stride] - r[i * stride + 1];
                if ((pos > 0) == pairs.get(i).firstBetter() && pos != 0) {
                    right++;
                }
                if (canNegate) {
                    double neg = r[i * stride + 2] - r[i * stride + 3];
                    if (Math.signum(neg) == -Math.signum(pos) && pos != 0) {
                        flips++;
                    }
                }
                if (crowded) {
                    double inCrowd = r[i * stride + stride - 2] - r[i * stride + stride - 1];
                    if ((inCrowd > 0) == pairs.get(i).firstBetter() && inCrowd != 0) {
                        rightInCrowd++;
                    }
                }
            }
            results.add(new Result(p.name(), target.get().describe(), pairs.size(), (double) right / pairs.size(),
                    canNegate ? (double) flips / pairs.size() : Double.NaN,
                    crowded ? (double) rightInCrowd / pairs.size() : Double.NaN));
        }
        return results;
    }
}
