package salmonrun.activities.principles;

import java.util.List;

/**
 * A principle-set or exemplar-set file (or an in-memory set) is invalid. The message names the
 * source and lists every problem found as {@code source:line:column: field: message}.
 */
public final class PrincipleSetFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient List<FormatProblem> problems;

    public PrincipleSetFormatException(String source, List<FormatProblem> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public PrincipleSetFormatException(String source, FormatProblem problem) {
        this(source, List.of(problem));
    }

    /** The file (or other source) the problems were found in. */
    public String source() {
        return source;
    }

    /** Every problem found, in file order. */
    public List<FormatProblem> problems() {
        return problems;
    }

    private static String message(String source, List<FormatProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a format exception needs at least one problem");
        }
        StringBuilder b = new StringBuilder();
        b.append(source).append(": ").append(problems.size() == 1 ? "1 problem" : problems.size() + " problems");
        for (FormatProblem p : problems) {
            b.append('\n').append(p.render(source));
        }
        return b.toString();
    }
}
