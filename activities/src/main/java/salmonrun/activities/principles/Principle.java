package salmonrun.activities.principles;

/** One principle: a named definition, its negation, a sampling weight and a role. */
public record Principle(String name, String definition, String negativeDefinition, double weight, Role role) {}
