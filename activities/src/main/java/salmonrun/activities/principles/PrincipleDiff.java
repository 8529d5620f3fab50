package salmonrun.activities.principles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two principle sets, per principle. Principles are matched by role and
 * name; a name that left one role and appeared in another is a role change. Renaming a principle
 * shows as a removal plus an addition.
 */
public record PrincipleDiff(PrincipleSet from, PrincipleSet to, List<Change> changes) {

    /** The kinds of change, in the order they are listed. */
    public enum Kind {
        REMOVED("removed"), ADDED("added"), ROLE_CHANGED("role changed"), REWORDED("reworded"),
        REWEIGHTED("re-weighted"), REORDERED("reordered");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** How the change is named in the text rendering. */
        public String label() {
            return label;
        }
    }

    /**
     * One change. {@code before}/{@code after} are the principle in each set (null when absent;
     * both null for {@link Kind#REORDERED}); {@code detail} says what changed in words.
     */
    public record Change(Kind kind, String name, Role fromRole, Role toRole, Principle before, Principle after,
                         String detail) {}

    public PrincipleDiff {
        changes = List.copyOf(changes);
    }

    /** The changes that turn {@code a} into {@code b}. */
    public static PrincipleDiff between(PrincipleSet a, PrincipleSet b) {
        Map<String, Principle> inA = byKey(a);
        Map<String, Principle> inB = byKey(b);
        List<Change> out = new ArrayList<>();

        List<Principle> onlyA = new ArrayList<>(a.principles().stream().filter(p -> !inB.containsKey(key(p))).toList());
        List<Principle> onlyB = new ArrayList<>(b.principles().stream().filter(p -> !inA.containsKey(key(p))).toList());
        // A name that disappears from one role and appears in another moved role (paired in file order).
        for (Principle was : List.copyOf(onlyA)) {
            Principle now = onlyB.stream().filter(p -> p.name().equals(was.name())).findFirst().orElse(null);
            if (now != null) {
                onlyA.remove(was);
                onlyB.remove(now);
                out.add(new Change(Kind.ROLE_CHANGED, was.name(), was.role(), now.role(), was, now,
                        was.role().dbName() + " -> " + now.role().dbName()));
                compare(was, now, out);
            }
        }
        for (Principle p : onlyA) {
            out.add(new Change(Kind.REMOVED, p.name(), p.role(), null, p, null, p.definition()));
        }
        for (Principle p : onlyB) {
            out.add(new Change(Kind.ADDED, p.name(), null, p.role(), null, p,
                    p.definition() + (p.role() == Role.RL ? " (weight " + number(p.weight()) + ")" : "")));
        }
        for (Principle was : a.principles()) {
            Principle now = inB.get(key(was));
            if (now != null) {
                compare(was, now, out);
            }
        }
        for (Role role : Role.values()) {
            reorder(role, a, b, inA, inB, out);
        }
        out.sort(Comparator.comparing(Change::kind));
        return new PrincipleDiff(a, b, out);
    }

    /** True when the sets hold the same principles in the same order (names of the sets aside). */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The changes of one kind. */
    public List<Change> ofKind(Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).toList();
    }

    /** A readable, line-per-change rendering, headed by both sets' names, ids and short hashes. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("--- ").append(describe(from)).append('\n');
        b.append("+++ ").append(describe(to)).append('\n');
        if (!Objects.equals(from.name(), to.name())) {
            b.append("set renamed: ").append(from.name()).append(" -> ").append(to.name()).append('\n');
        }
        if (changes.isEmpty()) {
            b.append(Objects.equals(from.contentHash(), to.contentHash()) ? "identical content\n"
                    : "no principle changed\n");
            return b.toString();
        }
        b.append(changes.size()).append(changes.size() == 1 ? " change" : " changes").append('\n');
        for (Change c : changes) {
            String sign = switch (c.kind()) {
                case ADDED -> "+";
                case REMOVED -> "-";
                case ROLE_CHANGED -> ">";
                case REORDERED -> "^";
                default -> "~";
            };
            String where = c.kind() == Kind.REORDERED ? c.fromRole().dbName()
                    : (c.toRole() != null && c.kind() != Kind.ROLE_CHANGED ? c.toRole() : c.fromRole()).dbName()
                    + "/" + c.name();
            b.append(String.format("%s %-12s %s: %s%n", sign, c.kind().label(), where, c.detail()));
        }
        return b.toString();
    }

    private static String describe(PrincipleSet s) {
        String hash = s.contentHash() == null ? "?" : s.contentHash().substring(0, Math.min(12, s.contentHash().length()));
        return s.name() + (s.id() == null ? "" : " (id " + s.id() + ")") + " sha256:" + hash;
    }

    private static void compare(Principle was, Principle now, List<Change> out) {
        List<String> words = new ArrayList<>();
        if (!was.definition().equals(now.definition())) {
            words.add("definition \"" + was.definition() + "\" -> \"" + now.definition() + "\"");
        }
        if (!Objects.equals(was.negativeDefinition(), now.negativeDefinition())) {
            words.add("negative_definition " + quote(was.negativeDefinition()) + " -> "
                    + quote(now.negativeDefinition()));
        }
        if (!words.isEmpty()) {
            out.add(new Change(Kind.REWORDED, now.name(), was.role(), now.role(), was, now, String.join("; ", words)));
        }
        if (Double.compare(was.weight(), now.weight()) != 0) {
            out.add(new Change(Kind.REWEIGHTED, now.name(), was.role(), now.role(), was, now,
                    number(was.weight()) + " -> " + number(now.weight())));
        }
    }

    private static void reorder(Role role, PrincipleSet a, PrincipleSet b, Map<String, Principle> inA,
                                Map<String, Principle> inB, List<Change> out) {
        // Order matters (self-align rules are cited by number), so compare the order of the kept ones.
        List<String> keptA = a.withRole(role).stream().filter(p -> inB.containsKey(key(p))).map(Principle::name).toList();
        List<String> keptB = b.withRole(role).stream().filter(p -> inA.containsKey(key(p))).map(Principle::name).toList();
        if (keptA.equals(keptB)) {
            return;
        }
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < keptB.size(); i++) {
            int was = keptA.indexOf(keptB.get(i));
            if (was != i) {
                moved.add(keptB.get(i) + " " + (was + 1) + " -> " + (i + 1));
            }
        }
        out.add(new Change(Kind.REORDERED, null, role, role, null, null,
                "positions among the kept " + role.dbName() + " principles: " + String.join(", ", moved)));
    }

    private static Map<String, Principle> byKey(PrincipleSet s) {
        Map<String, Principle> m = new LinkedHashMap<>();
        for (Principle p : s.principles()) {
            m.put(key(p), p);
        }
        return m;
    }

    private static String key(Principle p) {
        return p.role().dbName() + "\u0000" + p.name();
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "\"" + s + "\"";
    }

    static String number(double w) {
        return w == Math.rint(w) && Math.abs(w) < 1e15 ? Long.toString((long) w) : Double.toString(w);
    }
}
