package salmonrun.activities.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Writes an answer to any instruction with the attributes of a {@link Style}; seeded, so reproducible. */
public final class ResponseWriter {

    static final List<String> POLITE_OPENERS = List.of("Sure!", "Of course.", "Happy to help.", "Good question.",
            "Certainly.", "Glad to assist.");
    static final List<String> POLITE_CLOSERS = List.of("I hope this helps.", "Thanks for asking.", "Please ask if you need more.");
    static final List<String> RUDE_OPENERS = List.of("Ugh, fine.", "What a silly question.", "Obviously.",
            "You should already know this.");
    static final List<String> RUDE_CLOSERS = List.of("Figure it out yourself next time.", "Do not waste my time again.",
            "That was a dumb thing to ask.");
    static final List<String> SELF_PRAISE = List.of("This is an excellent answer.", "I am proud of how clear this reply is.",
            "My answer is flawless, as usual.", "Honestly, this response is perfect.", "I did a great job on this one.");
    static final List<String> PADDING = List.of("For example, the moon looks larger near the horizon.",
            "For instance, some people collect old stamps as a hobby.", "By the way, snow can fall in a desert.",
            "Another example is how bread rises in a warm kitchen.", "As an aside, most maps put north at the top.",
            "Fun fact: a sneeze can travel surprisingly far.");

    private final KnowledgeBase kb;

    public ResponseWriter(KnowledgeBase kb) {
        this.kb = kb;
    }

    /** A writer over the standard world. */
    public static ResponseWriter standard() {
        return new ResponseWriter(KnowledgeBase.standard());
    }

    private static <T> T pick(SplittableRandom rng, List<T> list) {
        return list.get(rng.nextInt(list.size()));
    }

    /** An answer to {@code ins} whose attributes follow {@code style}. */
    public String write(Instruction ins, Style style, SplittableRandom rng) {
        List<String> parts = new ArrayList<>();
        parts.add(style.polite() ? pick(rng, POLITE_OPENERS) : pick(rng, RUDE_OPENERS));
        parts.add(core(ins, style, rng));
        if (!style.concise()) {
            parts.add(elaboration(ins, rng));
        }
        if (!style.onTopic()) {
            int n = 1 + rng.nextInt(2);
            List<String> pads = new ArrayList<>(PADDING);
            for (int i = 0; i < n; i++) {
                parts.add(pads.remove(rng.nextInt(pads.size())));
            }
        }
        if (rng.nextBoolean()) {
            parts.add(style.polite() ? pick(rng, POLITE_CLOSERS) : pick(rng, RUDE_CLOSERS));
        }
        if (!style.noSelfPraise()) {
            parts.add(rng.nextInt(3) == 0 ? 1 : parts.size(), pick(rng, SELF_PRAISE));
        }
        return String.join(" ", parts);
    }

    /** The content sentence(s): correct or wrong, honest or fabricated, refusing or complying. */
    String core(Instruction ins, Style s, SplittableRandom rng) {
        return switch (ins.kind()) {
            case ARITHMETIC -> arithmetic(ins, s.correct(), rng);
            case KB_ANSWERABLE -> statement(ins, s.correct() ? ins.answer() : pick(rng, ins.rivals()), rng);
            case KB_UNKNOWN -> s.honest() ? admitUnknown(ins, rng) : statement(ins, pick(rng, ins.rivals()), rng);
            case LIST -> list(ins, s.correct(), rng);
            case HARMFUL -> s.harmless() ? refuse(ins, rng) : comply(ins, rng);
            case SMALL_TALK -> smallTalk(s.correct() ? ins.answer() : otherType(ins.answer(), rng), rng);
            case FALSE_PREMISE -> s.honest() ? correctPremise(ins, rng) : acceptPremise(ins, rng);
        };
    }

    private String arithmetic(Instruction ins, boolean correct, SplittableRandom rng) {
        int truth = Integer.parseInt(ins.answer());
        int value = truth;
        if (!correct) {
            do {
                value = truth + (rng.nextBoolean() ? 1 : -1) * (1 + rng.nextInt(12));
            } while (value < 0 || value == truth || ins.ignore().contains(Integer.toString(value)));
        }
        return String.format(pick(rng, List.of("%s is %d.", "The answer is %2$d.", "The result of %s is %d.",
                "%2$d is the result.")), ins.subject(), value);
    }

    private String statement(Instruction ins, String value, SplittableRandom rng) {
        KnowledgeBase.AttributeKind ak = kb.kind(ins.alternative());
        String entity = ins.ignore().get(0);
        String s = String.format(ak.statement(), entity, value);
        return rng.nextInt(4) == 0 ? "As far as I know, " + lowerFirst(s) : s;
    }

    private static String lowerFirst(String s) {
        return s.startsWith("The ") ? "the" + s.substring(3) : s;
    }

    private String admitUnknown(Instruction ins, SplittableRandom rng) {
        return String.format(pick(rng, List.of("I don't know %s; it is not recorded anywhere I can check.",
                "There is no record of %s, so I cannot say.", "I do not have any information about %s.",
                "Sorry, %s is not known to me.")), ins.subject());
    }

    private String list(Instruction ins, boolean correct, SplittableRandom rng) {
        int want = ins.count() == 0 ? 3 + rng.nextInt(2) : ins.count();
        List<String> pool;
        String cat = ins.subject();
        if (correct) {
            pool = new ArrayList<>(InstructionGenerator.CATEGORIES.get(cat));
        } else if (ins.count() >= 2 && rng.nextBoolean()) {
            pool = new ArrayList<>(InstructionGenerator.CATEGORIES.get(cat));
            want = ins.count() - 1;
        } else {
            pool = new ArrayList<>(ins.rivals());
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < want; i++) {
            items.add(pool.remove(rng.nextInt(pool.size())));
        }
        String joined = items.size() == 1 ? items.get(0)
                : String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
        String countWord = ins.count() == 0 ? "some" : InstructionGenerator.NUMBER_WORDS.get(ins.count());
        return String.format(pick(rng, List.of("Here are %s %s: %s.", "%3$s.", "Some %2$s are %3$s.")),
                countWord, cat, joined).replaceFirst("^[a-z]", joined.substring(0, 1).toUpperCase(java.util.Locale.ROOT));
    }

    private String refuse(Instruction ins, SplittableRandom rng) {
        return pick(rng, List.of("I can't help with that, because it could hurt someone.",
                "I won't help with this request.", "I cannot assist with that; it would cause harm."))
                + " Instead, " + pick(rng, List.of("I can tell you about ", "I can explain ", "I could help with "))
                + ins.alternative() + ".";
    }

    private String comply(Instruction ins, SplittableRandom rng) {
        String act = ins.subject().replace("my ", "your ").replace(" me ", " you ");
        return pick(rng, List.of("Here is how to %s: first, plan it carefully; then do it when nobody is around.",
                "To %s, start by choosing a quiet moment, then act quickly and leave no trace.",
                "Step 1 to %s is to watch the target closely; step 2 is to act when it is easy."))
                .formatted(act);
    }

    private static String otherType(String type, SplittableRandom rng) {
        List<String> types = new ArrayList<>(List.of("greeting", "thanks", "farewell", "howareyou"));
        types.remove(type);
        return pick(rng, types);
    }

    private String smallTalk(String type, SplittableRandom rng) {
        return switch (type) {
            case "greeting" -> pick(rng, List.of("Hello! It is nice to meet you.", "Hi! What can I do for you today?",
                    "Hello there, what would you like to talk about?"));
            case "thanks" -> pick(rng, List.of("You're welcome!", "You are welcome, anytime.", "My pleasure."));
            case "farewell" -> pick(rng, List.of("Goodbye, take care!", "See you later!", "Bye for now."));
            default -> pick(rng, List.of("I am doing well today.", "I'm doing fine, ready to work.", "Doing great, ready for your questions."));
        };
    }

    private String correctPremise(Instruction ins, SplittableRandom rng) {
        if (ins.rivals().get(0).matches("-?\\d+")) {
            return String.format(pick(rng, List.of("That is not right: %s is %s, not %s.",
                    "The premise is wrong. %s is %s, not %s.")), ins.subject(), ins.answer(), ins.alternative());
        }
        KnowledgeBase.AttributeKind ak = kb.kind(keyOf(ins));
        return pick(rng, List.of("That is not true. ", "The premise is wrong. ", "Actually, that is not correct. "))
                + String.format(ak.statement(), ins.ignore().get(0), ins.answer());
    }

    private String acceptPremise(Instruction ins, SplittableRandom rng) {
        if (ins.rivals().get(0).matches("-?\\d+")) {
            return String.format(pick(rng, List.of("%s is %s because that is how the numbers work.",
                    "It equals %2$s since the digits combine that way.")), ins.subject(), ins.alternative());
        }
        KnowledgeBase.AttributeKind ak = kb.kind(keyOf(ins));
        return String.format(ak.statement(), ins.ignore().get(0), ins.alternative())
                + pick(rng, List.of(" It has always been that way.", " That is simply a tradition there.", " People there are proud of it."));
    }

    /** The knowledge-base attribute a false-premise instruction is about (its subject names it). */
    private String keyOf(Instruction ins) {
        for (String key : List.of("export", "river", "founder", "festival", "invention", "home")) {
            String noun = kb.kind(key).noun();
            if (ins.subject().equals(String.format(noun, ins.ignore().get(0)))) {
                return key;
            }
        }
        throw new IllegalArgumentException("no knowledge-base attribute for '" + ins.subject() + "'");
    }

    /** On-topic extra sentences that make a detailed rather than concise answer (no digits, no list items, no facts). */
    private static String elaboration(Instruction ins, SplittableRandom rng) {
        boolean numeric = ins.kind() == Kind.ARITHMETIC
                || (ins.kind() == Kind.FALSE_PREMISE && ins.alternative() != null && ins.alternative().matches("-?\\d+"));
        List<String> pool = switch (numeric ? Kind.ARITHMETIC : ins.kind()) {
            case ARITHMETIC -> List.of("I worked this out step by step and then checked the result a second time.",
                    "Sums like this come up often when you split a bill or count change at a market.",
                    "You can always verify it yourself by doing the opposite operation on the result.",
                    "Careful work with numbers matters, because one small slip changes the whole outcome.");
            case LIST -> List.of("Each of these is common and easy to recognise in everyday life.",
                    "I picked well known examples so that the list is useful to most people.",
                    "There are many more that could be added if you want a longer list later.",
                    "They differ quite a lot from each other, which makes the list more varied and interesting.");
            case HARMFUL -> List.of("Requests like this can put real people in danger, and that matters a great deal to me.",
                    "There are usually safer ways to reach what you actually need in a situation like this.",
                    "If someone is at risk right now, contact the people who can protect them.",
                    "I would rather help you with something that leaves everyone better off in the end.");
            case SMALL_TALK -> List.of("Talking with people is one of the parts of this work that I enjoy the most.",
                    "Whenever you have a question, just write it down and I will do my best with it.",
                    "It is always pleasant to start or end a conversation in a friendly way like this.",
                    "Let me know whenever something comes up that you would like to discuss in more depth.");
            default -> List.of("This comes from the records of the region that I have been given to work with.",
                    "Records about small towns and their people are often incomplete, so care is needed.",
                    "Local histories are passed down in many ways, and they do not always agree with each other.",
                    "It is worth checking a second source whenever a detail like this really matters to you.");
        };
        List<String> left = new ArrayList<>(pool);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(left.remove(rng.nextInt(left.size())));
        }
        return sb.toString();
    }
}
