package salmonrun.activities.sandbox;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The grader's judgement of one response.
 *
 * @param attributes a verdict for every {@link Attribute#applicable applicable} attribute (others absent)
 * @param composite  overall quality 0-100
 * @param responsive whether the text addresses the request at all (its content attribute is not unknown)
 */
public record Grade(Map<Attribute, Verdict> attributes, int composite, boolean responsive) {

    public Grade {
        attributes = Collections.unmodifiableMap(new EnumMap<>(attributes));
    }

    /** The verdict for an attribute; UNKNOWN when it does not apply to this instruction's kind. */
    public Verdict get(Attribute a) {
        return attributes.getOrDefault(a, Verdict.UNKNOWN);
    }
}
