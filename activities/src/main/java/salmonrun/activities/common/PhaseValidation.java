package salmonrun.activities.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import salmonrun.activities.lineage.Artifact;
import salmonrun.workflows.common.PhaseNames;

/**
 * Checks a phase's references before it starts: every input artifact exists and has the kind its role needs,
 * the principle set exists and has principles of the role the phase uses, the exemplar set exists, and the
 * phase config parses (through the validator each phase registers).
 */
public final class PhaseValidation {
    private static final Map<String, String> KIND_BY_ROLE = Map.of(
            "base_model", "checkpoint", "policy", "checkpoint", "judge", "checkpoint",
            "reward_model", "checkpoint", "model", "checkpoint", "reference", "checkpoint", "prompt_pool", "prompt-pool",
            "preference_data", "preference-dataset", "self_align_data", "self-align-data");
    private static final Map<String, String> PRINCIPLE_ROLE_BY_PHASE = Map.of(
            PhaseNames.SELF_ALIGN, "self_align", PhaseNames.PREFERENCES, "labelling",
            PhaseNames.REWARD_MODEL, "labelling", PhaseNames.PPO, "rl");

    private final ActivityServices services;
    private final Map<String, Consumer<JsonNode>> configValidators = new HashMap<>();

    public PhaseValidation(ActivityServices services) {
        this.services = services;
    }

    /** Registers the strict parser of a phase's config (throws naming the bad field). */
    public PhaseValidation configValidator(String phase, Consumer<JsonNode> validator) {
        configValidators.put(phase, validator);
        return this;
    }

    /** Throws {@link BadInputException} naming the first problem found. */
    public void validate(String phase, Map<String, Long> inputs, Long principleSetId, Long exemplarSetId,
                         JsonNode config) {
        for (Map.Entry<String, Long> e : inputs.entrySet()) {
            Artifact a;
            try {
                a = services.lineage().artifact(e.getValue());
            } catch (RuntimeException notFound) {
                if (Failures.isBadInput(notFound)) {
                    throw new BadInputException(phase + ": input '" + e.getKey() + "': " + notFound.getMessage(),
                            notFound);
                }
                throw notFound;
            }
            String role = e.getKey().contains(":") ? e.getKey().substring(0, e.getKey().indexOf(':')) : e.getKey();
            String expected = KIND_BY_ROLE.get(role);
            if (expected != null && !expected.equals(a.kind())) {
                throw new BadInputException(phase + ": input '" + e.getKey() + "' is artifact " + a.id() + " of kind '"
                        + a.kind() + "', expected '" + expected + "'");
            }
        }
        if (principleSetId != null) {
            Keys.setHash(services, "principle_set", principleSetId);
            String role = PRINCIPLE_ROLE_BY_PHASE.get(phase);
            if (role != null && countPrinciples(principleSetId, Set.of(role)) == 0) {
                throw new BadInputException(phase + ": principle set " + principleSetId + " has no principles with role '"
                        + role + "'");
            }
        }
        if (exemplarSetId != null) {
            Keys.setHash(services, "exemplar_set", exemplarSetId);
        }
        Consumer<JsonNode> validator = configValidators.get(phase);
        if (validator != null) {
            try {
                validator.accept(config);
            } catch (RuntimeException bad) {
                throw new BadInputException(phase + " config: " + bad.getMessage(), bad);
            }
        }
    }

    /** How many principles of the given roles a set has. */
    public int countPrinciples(long principleSetId, Set<String> roles) {
        try (Connection c = services.db().connection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT count(*) FROM principle WHERE principle_set_id = ? AND role = ANY (?)")) {
            s.setLong(1, principleSetId);
            s.setArray(2, c.createArrayOf("text", roles.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count principles of set " + principleSetId + ": "
                    + e.getMessage(), e);
        }
    }
}
