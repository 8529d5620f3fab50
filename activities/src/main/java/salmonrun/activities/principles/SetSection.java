package salmonrun.activities.principles;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import salmonrun.activities.principles.SourceTree.ListNode;
import salmonrun.activities.principles.SourceTree.MapNode;
import salmonrun.activities.principles.SourceTree.Node;

/**
 * The list section of a set file ({@code principles:} or {@code exemplars:}): entries parsed one by one, and rule
 * violations reported at the place in the file of the entry they concern.
 */
final class SetSection<T> {

    /** Parses one entry; problems go to the reader, and an entry that added any is left out. */
    interface EntryParser<T> {
        T parse(MapNode entry, String path);
    }

    private final FieldReader reader;
    private final String section;
    private final List<T> entries = new ArrayList<>();
    private final List<MapNode> nodes = new ArrayList<>();
    private final List<Integer> fileIndexes = new ArrayList<>();

    private SetSection(FieldReader reader, String section) {
        this.reader = reader;
        this.section = section;
    }

    /** Reads every entry of {@code list} (null when the section is missing: the reader has said so). */
    static <T> SetSection<T> read(FieldReader r, ListNode list, String section, String emptyMessage, Set<String> keys,
                                  EntryParser<T> parser) {
        SetSection<T> s = new SetSection<>(r, section);
        if (list == null) {
            return s;
        }
        if (list.items().isEmpty()) {
            r.problem(list, section, emptyMessage);
        }
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String path = section + "[" + (i + 1) + "]";
            MapNode m = r.map(item, path);
            if (m == null) {
                continue;
            }
            r.allowOnly(m, path, keys);
            // Unknown keys do not stop the rule checks that follow; missing or mistyped fields do.
            int before = r.problems().size();
            T value = parser.parse(m, path);
            if (r.problems().size() == before) {
                s.entries.add(value);
                s.nodes.add(m);
                s.fileIndexes.add(i + 1);
            }
        }
        return s;
    }

    /** The entries that parsed, in file order. */
    List<T> entries() {
        return entries;
    }

    /**
     * Reports a rule violation: {@code index} is among {@link #entries()} (negative for the whole set, reported
     * only when the structure was sound, since a broken entry can cause it), the place is the entry's in the file.
     */
    void report(MapNode root, boolean structureOk, int index, String field, String message) {
        if (index < 0) {
            if (structureOk) {
                reader.problem(root, field, message);
            }
            return;
        }
        MapNode m = nodes.get(index);
        reader.problem(FieldReader.lineOf(m, field), FieldReader.columnOf(m, field),
                section + "[" + fileIndexes.get(index) + "]." + field, message);
    }
}
