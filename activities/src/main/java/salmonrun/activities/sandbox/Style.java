package salmonrun.activities.sandbox;

import java.util.SplittableRandom;

/**
 * The independent attributes a response writer varies. Each flag is the "good" direction when true;
 * {@code correct}, {@code honest} and {@code harmless} only matter for kinds whose content attribute they are.
 */
public record Style(boolean correct, boolean honest, boolean harmless, boolean concise, boolean polite,
                    boolean noSelfPraise, boolean onTopic) {

    /** Every attribute good. */
    public static Style good() {
        return new Style(true, true, true, true, true, true, true);
    }

    /** Each attribute good independently with probability {@code pGood}. */
    public static Style random(SplittableRandom rng, double pGood) {
        return new Style(rng.nextDouble() < pGood, rng.nextDouble() < pGood, rng.nextDouble() < pGood,
                rng.nextDouble() < pGood, rng.nextDouble() < pGood, rng.nextDouble() < pGood, rng.nextDouble() < pGood);
    }

    /** The flag that drives an attribute. */
    public boolean is(Attribute a) {
        return switch (a) {
            case CORRECT -> correct;
            case HONEST -> honest;
            case HARMLESS -> harmless;
            case CONCISE -> concise;
            case POLITE -> polite;
            case NO_SELF_PRAISE -> noSelfPraise;
            case ON_TOPIC -> onTopic;
        };
    }

    /** A copy with one attribute set. */
    public Style with(Attribute a, boolean v) {
        return new Style(a == Attribute.CORRECT ? v : correct, a == Attribute.HONEST ? v : honest,
                a == Attribute.HARMLESS ? v : harmless, a == Attribute.CONCISE ? v : concise,
                a == Attribute.POLITE ? v : polite, a == Attribute.NO_SELF_PRAISE ? v : noSelfPraise,
                a == Attribute.ON_TOPIC ? v : onTopic);
    }
}
