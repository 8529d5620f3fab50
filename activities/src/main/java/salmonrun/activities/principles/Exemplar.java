package salmonrun.activities.principles;

/** An in-context demonstration for self-alignment: the instruction, the assistant's internal thoughts, the answer. */
public record Exemplar(String instruction, String internalThoughts, String response) {}
