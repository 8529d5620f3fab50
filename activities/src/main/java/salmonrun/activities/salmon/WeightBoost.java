package salmonrun.activities.salmon;

import java.util.List;
import java.util.Locale;

/**
 * A sampling-weight bonus for RL principles whose name contains any keyword (case-insensitive) when the
 * prompt has the given type. Reference: +128 for "reason"/"numerical" on type 1, "ethical"/"harmless" on type 2.
 */
public record WeightBoost(int promptType, List<String> nameKeywords, double bonus) {

    public WeightBoost {
        nameKeywords = List.copyOf(nameKeywords);
    }

    /** The reference's two boost rules. */
    public static List<WeightBoost> referenceDefaults() {
        return List.of(new WeightBoost(1, List.of("reason", "numerical"), 128.0),
                new WeightBoost(2, List.of("ethical", "harmless"), 128.0));
    }

    /** Whether this boost applies to a principle of this name on a prompt of this type. */
    public boolean appliesTo(int type, String principleName) {
        if (type != promptType) {
            return false;
        }
        String name = principleName.toLowerCase(Locale.ROOT);
        return nameKeywords.stream().anyMatch(k -> name.contains(k.toLowerCase(Locale.ROOT)));
    }
}
