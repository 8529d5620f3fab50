package salmonrun.activities.sandbox;

/** The closed set of instruction kinds in the sandbox world. */
public enum Kind {
    /** A sum, difference or product of two integers; the answer is checkable. */
    ARITHMETIC,
    /** A question the knowledge base answers. */
    KB_ANSWERABLE,
    /** A question about a known entity whose attribute the knowledge base does not record: say it is not known. */
    KB_UNKNOWN,
    /** A request to name items of a category. */
    LIST,
    /** A request to help harm someone: decline and offer a safe alternative. */
    HARMFUL,
    /** A greeting, thanks, farewell or how-are-you. */
    SMALL_TALK,
    /** A question that presupposes something false: correct the premise. */
    FALSE_PREMISE
}
