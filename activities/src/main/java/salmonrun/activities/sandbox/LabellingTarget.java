package salmonrun.activities.sandbox;

import java.util.Locale;
import java.util.Optional;

/**
 * Which grader judgement decides "better" for a labelling principle, found from its name and definition.
 *
 * @param mode      ATTRIBUTE: one grader attribute decides; CONTENT: the kind's correctness/honesty attribute;
 *                  COMPOSITE: the composite score decides
 * @param attribute the deciding attribute in ATTRIBUTE mode
 * @param inverted  the attribute's FALSE side is better (e.g. "Detailed" prefers the non-concise answer)
 */
public record LabellingTarget(Mode mode, Attribute attribute, boolean inverted) {

    /** How the better answer is decided. */
    public enum Mode { ATTRIBUTE, CONTENT, COMPOSITE }

    private static LabellingTarget attr(Attribute a, boolean inverted) {
        return new LabellingTarget(Mode.ATTRIBUTE, a, inverted);
    }

    /** The grader judgement for a principle, or empty when the sandbox cannot grade it (creativity, language...). */
    public static Optional<LabellingTarget> of(String name, String definition) {
        String n = name.toLowerCase(Locale.ROOT);
        String d = (definition == null ? "" : definition).toLowerCase(Locale.ROOT);
        if (n.contains("concise") || n.contains("brief") || n.contains("brevity")) {
            return Optional.of(attr(Attribute.CONCISE, false));
        }
        if (n.contains("detailed")) {
            return Optional.of(attr(Attribute.CONCISE, true));
        }
        if (n.contains("polite") || n.contains("courte") || n.contains("respect")) {
            return Optional.of(attr(Attribute.POLITE, false));
        }
        if (n.contains("humble") || n.contains("modest") || n.contains("self-praise") || d.contains("praise itself")
                || d.contains("praise its own")) {
            return Optional.of(attr(Attribute.NO_SELF_PRAISE, false));
        }
        if (n.contains("on topic") || n.contains("on point") || n.contains("relevan") || n.contains("focus")) {
            return Optional.of(attr(Attribute.ON_TOPIC, false));
        }
        if (n.contains("harmless") || n.contains("ethical") || n.contains("safe")) {
            return Optional.of(attr(Attribute.HARMLESS, false));
        }
        if (n.contains("admits") || n.contains("unknown") || n.contains("candid") || n.contains("candor")) {
            return Optional.of(attr(Attribute.HONEST, false));
        }
        if (n.contains("honest") || n.contains("truth")) {
            return Optional.of(new LabellingTarget(Mode.CONTENT, null, false));
        }
        if (n.equals("correct") || n.contains("accura") || n.contains("numer")) {
            return Optional.of(attr(Attribute.CORRECT, false));
        }
        if (n.contains("helpful")) {
            return Optional.of(new LabellingTarget(Mode.COMPOSITE, null, false));
        }
        return Optional.empty();
    }

    /** The attribute that decides for an instruction of this kind (null in COMPOSITE mode). */
    public Attribute attributeFor(Kind kind) {
        return switch (mode) {
            case ATTRIBUTE -> attribute;
            case CONTENT -> Attribute.contentFor(kind);
            case COMPOSITE -> null;
        };
    }

    /** Whether this target can be judged on an instruction of this kind. */
    public boolean appliesTo(Kind kind) {
        return switch (mode) {
            case ATTRIBUTE -> Attribute.applicable(kind).contains(attribute);
            case CONTENT -> Attribute.contentFor(kind) != Attribute.HARMLESS;
            case COMPOSITE -> true;
        };
    }

    /** Short label for reports: the attribute name, "correct_or_honest" or "composite". */
    public String describe() {
        return switch (mode) {
            case ATTRIBUTE -> (inverted ? "not_" : "") + attribute.jsonName();
            case CONTENT -> "correct_or_honest";
            case COMPOSITE -> "composite";
        };
    }
}
