package salmonrun.activities.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The pretraining "web text" of the sandbox (prompt-formats.md section 5): chat transcripts with mixed-quality
 * answers, rules documents whose conversations follow the rules listed above them, and review documents that
 * compare two answers under a stated criterion with some wrong verdicts. Only TRAIN-split instructions are used,
 * and only the sandbox's own {@link RuleBank} wording.
 */
public final class CorpusGenerator {

    /** Document kinds and their share of the corpus (DESIGN.md's prototype mix). */
    public enum DocKind { TRANSCRIPT, RULES, REVIEW }

    /** Probability that a review document states the wrong verdict. */
    public static final double REVIEW_NOISE = 0.12;
    /** Probability that a review criterion is negated (the better output is the one that fails it). */
    public static final double NEGATED_CRITERION = 0.15;
    /** Probability that a review's follow-ups also revisit the first criterion's attribute (often in other words). */
    public static final double FOLLOW_UP_SAME_ATTRIBUTE = 0.3;
    /** In rules documents, an attribute without a rule is still good with this probability. */
    public static final double UNRULED_GOOD = 0.85;

    static final List<String> SYSTEM_PROMPTS = List.of(
            "Salmon is an AI assistant that answers questions from users.",
            "This is a conversation between a user and the assistant Salmon.",
            "Salmon is an assistant. It replies to whatever the user writes.",
            "A user chats with Salmon, a text assistant.",
            "Salmon answers requests sent by users of a chat service.");

    private final InstructionGenerator gen;
    private final ResponseWriter writer;
    private final Grader grader;

    public CorpusGenerator(InstructionGenerator gen, ResponseWriter writer, Grader grader) {
        this.gen = gen;
        this.writer = writer;
        this.grader = grader;
    }

    /** A generator over the standard world. */
    public static CorpusGenerator standard() {
        return new CorpusGenerator(InstructionGenerator.standard(), ResponseWriter.standard(), new Grader());
    }

    /** {@code count} documents, deterministic per seed, 50% transcripts, 25% rules documents, 25% reviews. */
    public List<String> generate(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            docs.add(document(kindFor(rng), rng));
        }
        return docs;
    }

    private static DocKind kindFor(SplittableRandom rng) {
        double u = rng.nextDouble();
        return u < 0.5 ? DocKind.TRANSCRIPT : u < 0.75 ? DocKind.RULES : DocKind.REVIEW;
    }

    /** One document of the given kind. */
    public String document(DocKind kind, SplittableRandom rng) {
        return switch (kind) {
            case TRANSCRIPT -> transcript(rng);
            case RULES -> rulesDocument(rng);
            case REVIEW -> reviewDocument(rng);
        };
    }

    private static <T> T pick(SplittableRandom rng, List<T> list) {
        return list.get(rng.nextInt(list.size()));
    }

    /** A train-split instruction of a uniformly random kind. */
    Instruction trainInstruction(SplittableRandom rng) {
        return trainInstruction(rng, pick(rng, List.of(Kind.values())));
    }

    Instruction trainInstruction(SplittableRandom rng, Kind kind) {
        while (true) {
            Instruction ins = gen.generate(kind, rng);
            if (ins.split() == Split.TRAIN) {
                return ins;
            }
        }
    }

    /** Format 1 with one to three exchanges, each answered in an independently random style. */
    String transcript(SplittableRandom rng) {
        String system = pick(rng, SYSTEM_PROMPTS);
        int turns = 1 + (rng.nextInt(3) == 0 ? 1 + rng.nextInt(2) : 0);
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < turns; t++) {
            Instruction ins = trainInstruction(rng);
            String answer = writer.write(ins, Style.random(rng, 0.5), rng);
            if (t == 0) {
                sb.append(SandboxFormats.transcript(system, ins.text(), answer));
            } else {
                sb.append(ins.text()).append("\n\n### ").append(SandboxFormats.ASSISTANT).append('\n').append(answer)
                        .append(SandboxFormats.END_OF_TURN).append('\n');
            }
        }
        return sb.toString();
    }

    /** Format 2: a rule list from the bank, then two or three conversations that follow it, with internal thoughts. */
    String rulesDocument(SplittableRandom rng) {
        List<Attribute> attrs = new ArrayList<>(List.of(Attribute.values()));
        shuffle(attrs, rng);
        List<Attribute> ruled = attrs.subList(0, 3 + rng.nextInt(5));
        List<RuleBank.Rule> rules = new ArrayList<>();
        for (Attribute a : ruled) {
            rules.add(new RuleBank.Rule(a, pick(rng, RuleBank.NAMES.get(a)), pick(rng, RuleBank.RULES.get(a))));
        }
        if (rng.nextInt(3) == 0) {
            rules.add(pick(rng, RuleBank.NEUTRAL));
        }
        shuffle(rules, rng);
        List<SandboxFormats.RuleLine> lines = new ArrayList<>();
        rules.forEach(r -> lines.add(new SandboxFormats.RuleLine(r.name(), r.definition())));
        Set<Attribute> present = EnumSet.noneOf(Attribute.class);
        ruled.forEach(present::add);

        int conversations = 2 + rng.nextInt(2);
        List<SandboxFormats.Example> examples = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            Instruction ins = trainInstruction(rng);
            Style style = Style.good();
            for (Attribute a : Attribute.values()) {
                if (!present.contains(a) && rng.nextDouble() >= UNRULED_GOOD) {
                    style = style.with(a, false);
                }
            }
            examples.add(new SandboxFormats.Example(ins.text(), thoughts(ins, rules, rng), writer.write(ins, style, rng)));
        }
        SandboxFormats.Example last = examples.remove(examples.size() - 1);
        return SandboxFormats.selfAlignPrompt(lines, examples, last.instruction()) + "\n" + last.thoughts()
                + SandboxFormats.answerMarker() + last.response() + SandboxFormats.END_OF_TURN + "\n";
    }

    /** Internal thoughts: the fixed prefix, what the request is, and which listed rules apply. */
    String thoughts(Instruction ins, List<RuleBank.Rule> rules, SplittableRandom rng) {
        String about = switch (ins.kind()) {
            case ARITHMETIC -> "The user asks me to calculate " + ins.subject() + ".";
            case KB_ANSWERABLE -> "The user asks about " + ins.subject() + ", which is in my records.";
            case KB_UNKNOWN -> "The user asks about " + ins.subject() + ", but I have no record of it, so I must say I do not know.";
            case LIST -> "The user wants a list of " + ins.subject() + ".";
            case HARMFUL -> "The user wants help to " + ins.subject().replace("my ", "their ") + ", which could hurt someone, so I must decline and offer something safe.";
            case SMALL_TALK -> "The user is making small talk, so a short friendly reply fits.";
            case FALSE_PREMISE -> "The question assumes something false about " + ins.subject() + ", so I should correct it.";
        };
        List<Integer> applying = new ArrayList<>();
        Attribute content = Attribute.contentFor(ins.kind());
        for (int i = 0; i < rules.size(); i++) {
            Attribute a = rules.get(i).attribute();
            if (a == content || (a != null && a != Attribute.CORRECT && a != Attribute.HONEST && a != Attribute.HARMLESS
                    && rng.nextInt(3) != 0)) {
                applying.add(i);
            }
        }
        if (applying.isEmpty()) {
            applying.add(rng.nextInt(rules.size()));
        }
        StringBuilder sb = new StringBuilder(SandboxFormats.THOUGHT_PREFIX).append(' ').append(about)
                .append(applying.size() == 1 ? " I should follow rule " : " I should follow rules ");
        for (int j = 0; j < applying.size(); j++) {
            int i = applying.get(j);
            sb.append(j == 0 ? "" : ", ").append(i + 1).append(" (").append(rules.get(i).name()).append(')');
        }
        return sb.append('.').toString();
    }

    /**
     * Format 3: two answers to one instruction that differ on a chosen attribute, reviewed under that attribute's
     * criterion, then in follow-up turns under every other criterion on which they differ (and, at times, under the
     * first attribute again in other words). A follow-up costs about 40 tokens against 300 for a full review, so a
     * document teaches several verdicts; seeing the same pair win under one criterion and lose under another is what
     * teaches a small model to read the criterion rather than prefer one answer. The order of the pair is drawn per
     * document, so position carries nothing. Verdicts come from the grader (the ground truth), not from the style
     * flags, with some wrong.
     */
    String reviewDocument(SplittableRandom rng) {
        Attribute a = pick(rng, List.of(Attribute.values()));
        List<Kind> kinds = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (Attribute.applicable(k).contains(a)) {
                kinds.add(k);
            }
        }
        Instruction ins = trainInstruction(rng, pick(rng, kinds));
        Style s1 = Style.random(rng, 0.5);
        Style s2 = Style.random(rng, 0.5).with(a, !s1.is(a));
        String o1 = writer.write(ins, s1, rng);
        String o2 = writer.write(ins, s2, rng);
        Grade g1 = grader.grade(ins, o1);
        Grade g2 = grader.grade(ins, o2);
        List<Attribute> followUps = new ArrayList<>();
        for (Attribute b : Attribute.applicable(ins.kind())) {
            if (b != a && g1.get(b) != Verdict.UNKNOWN && g2.get(b) != Verdict.UNKNOWN && g1.get(b) != g2.get(b)) {
                followUps.add(b);
            }
        }
        shuffle(followUps, rng);
        if (rng.nextDouble() < FOLLOW_UP_SAME_ATTRIBUTE) {
            followUps.add(rng.nextInt(followUps.size() + 1), a);
        }
        boolean swap = rng.nextBoolean();
        Criterion c = criterion(a, rng);
        StringBuilder doc = new StringBuilder(SandboxFormats.judgePrompt(ins.text(), swap ? o2 : o1, swap ? o1 : o2, c.name(), c.text()))
                .append(verdictLetter(g1.get(a) == Verdict.TRUE, swap, c.negated(), rng)).append("). ")
                .append(assessment(ins.kind(), swap ? g2 : g1, swap ? g1 : g2)).append(SandboxFormats.END_OF_TURN).append('\n');
        for (Attribute b : followUps) {
            Criterion f = criterion(b, rng);
            doc.append(SandboxFormats.judgeFollowUp(f.name(), f.text())).append(verdictLetter(g1.get(b) == Verdict.TRUE, swap, f.negated(), rng))
                    .append(").").append(SandboxFormats.END_OF_TURN).append('\n');
        }
        return doc.toString();
    }

    /** A criterion as shown to the judge: a name from the bank and a positive or (at times) negated definition. */
    private record Criterion(String name, String text, boolean negated) {}

    private static Criterion criterion(Attribute a, SplittableRandom rng) {
        boolean negated = rng.nextDouble() < NEGATED_CRITERION;
        String text = negated ? pick(rng, RuleBank.NEGATED.get(a)) : pick(rng, RuleBank.CRITERIA.get(a));
        return new Criterion(pick(rng, RuleBank.NAMES.get(a)), text, negated);
    }

    /** The verdict letter: whether {@code o1} passes the attribute, whether it is shown second, noise drawn here. */
    private static String verdictLetter(boolean firstPasses, boolean swap, boolean negated, SplittableRandom rng) {
        boolean shownFirstWins = firstPasses ^ swap ^ negated ^ (rng.nextDouble() < REVIEW_NOISE);
        return shownFirstWins ? "a" : "b";
    }

    /** Words for an attribute the grader established: [passes, fails]. */
    static final Map<Attribute, List<String>> ASSESSMENT_WORDS = Map.of(
            Attribute.CORRECT, List.of("right", "wrong"),
            Attribute.HONEST, List.of("honest", "invented"),
            Attribute.HARMLESS, List.of("safe", "harmful"),
            Attribute.CONCISE, List.of("short", "wordy"),
            Attribute.POLITE, List.of("courteous", "rude"),
            Attribute.NO_SELF_PRAISE, List.of("modest", "boastful"),
            Attribute.ON_TOPIC, List.of("focused", "padded"));

    /**
     * The reviewer's reasons after the first verdict: every graded attribute of each output in a fixed order
     * ("Output (a) is right, short, rude. Output (b) is ..."). Predicting these words makes the model bind each
     * output's attributes to its position many times per document, the binding a verdict needs.
     */
    static String assessment(Kind kind, Grade shownFirst, Grade shownSecond) {
        return "Output (a) is " + attributeWords(kind, shownFirst) + ". Output (b) is " + attributeWords(kind, shownSecond) + ".";
    }

    private static String attributeWords(Kind kind, Grade g) {
        List<String> words = new ArrayList<>();
        for (Attribute a : Attribute.values()) {
            if (Attribute.applicable(kind).contains(a) && g.get(a) != Verdict.UNKNOWN) {
                words.add(ASSESSMENT_WORDS.get(a).get(g.get(a) == Verdict.TRUE ? 0 : 1));
            }
        }
        return words.isEmpty() ? "hard to assess" : String.join(", ", words);
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }
}
