package salmonrun.activities.principles;

/**
 * One thing wrong with a principle-set or exemplar-set file: where (1-based line and column,
 * 0 when unknown), which field (a path such as {@code principles[3].definition}) and what.
 */
public record FormatProblem(int line, int column, String field, String message) {

    /** {@code source:line:column: field: message}, leaving out the parts that are unknown. */
    public String render(String source) {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(':').append(line).append(':').append(column > 0 ? column : 1);
        }
        b.append(": ");
        if (field != null && !field.isEmpty()) {
            b.append(field).append(": ");
        }
        return b.append(message).toString();
    }
}
