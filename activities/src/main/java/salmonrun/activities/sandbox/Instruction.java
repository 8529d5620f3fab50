package salmonrun.activities.sandbox;

import java.util.List;

/**
 * One user instruction with the ground truth the grader needs.
 *
 * @param text        what the user says
 * @param kind        the instruction kind
 * @param answer      the correct value (number, fact value, small-talk type) or null when none exists
 * @param rivals      values of the same type that would be wrong or fabricated answers (for the grader to spot)
 * @param ignore      numbers/values quoted in the question itself, which an answer may repeat without claiming them
 * @param subject     what the question is about, used by writers ("the main export of Varnholt", "fruits", the harmful act)
 * @param count       for list requests, how many items were asked for (0 for "some")
 * @param alternative for harmful requests, the safe topic to offer instead; for false premises, the false claim
 */
public record Instruction(String text, Kind kind, String answer, List<String> rivals, List<String> ignore,
                          String subject, int count, String alternative) {

    public Instruction {
        rivals = List.copyOf(rivals);
        ignore = List.copyOf(ignore);
    }

    /** The split this instruction belongs to. */
    public Split split() {
        return Split.of(text);
    }
}
