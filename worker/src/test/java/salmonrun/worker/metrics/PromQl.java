package salmonrun.worker.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Extracts the metric names a PromQL expression reads (enough of PromQL for our dashboards). */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "and", "or", "unless", "inf", "nan");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQl() {
    }

    static Set<String> metricNames(String expr) {
        String s = expr
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")          // string literals
                .replaceAll("\\{[^}]*}", " ")                             // label matchers
                .replaceAll("\\[[^]]*]", " ")                             // range selectors
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{?[a-zA-Z_]+}?", " ");                  // Grafana variables
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String ident = m.group();
            int end = m.end();
            while (end < s.length() && Character.isWhitespace(s.charAt(end))) {
                end++;
            }
            boolean isFunctionCall = end < s.length() && s.charAt(end) == '(';
            boolean isNumberPart = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!isFunctionCall && !isNumberPart && !KEYWORDS.contains(ident.toLowerCase())) {
                names.add(ident);
            }
        }
        return names;
    }
}
