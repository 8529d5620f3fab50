package salmonrun.activities.principles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON form of principle and exemplar sets and its sha256, which keys each
 * immutable version. Canonical: keys sorted, no whitespace, text stripped, weights as doubles
 * (so {@code 1} and {@code 1.0} hash alike), absent negative definitions left out, list order kept.
 * The set's name is part of the content; a note, the author and the import time are not.
 */
public final class ContentHashes {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ContentHashes() {}

    /** The canonical JSON of a principle set. */
    public static String principleSetJson(String name, List<Principle> principles) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Principle p : principles) {
            Map<String, Object> m = new TreeMap<>();
            m.put("name", strip(p.name()));
            m.put("role", p.role() == null ? null : p.role().dbName());
            m.put("definition", strip(p.definition()));
            if (p.negativeDefinition() != null) {
                m.put("negative_definition", strip(p.negativeDefinition()));
            }
            m.put("weight", p.weight());
            list.add(m);
        }
        Map<String, Object> doc = new TreeMap<>();
        doc.put("kind", SetFiles.PRINCIPLE_SET_KIND);
        doc.put("name", strip(name));
        doc.put("principles", list);
        return write(doc);
    }

    /** The canonical JSON of an exemplar set. */
    public static String exemplarSetJson(String name, List<Exemplar> exemplars) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Exemplar e : exemplars) {
            Map<String, Object> m = new TreeMap<>();
            m.put("instruction", strip(e.instruction()));
            m.put("internal_thoughts", strip(e.internalThoughts()));
            m.put("response", strip(e.response()));
            list.add(m);
        }
        Map<String, Object> doc = new TreeMap<>();
        doc.put("kind", SetFiles.EXEMPLAR_SET_KIND);
        doc.put("name", strip(name));
        doc.put("exemplars", list);
        return write(doc);
    }

    /** sha256 (lowercase hex) of the canonical JSON of a principle set. */
    public static String principleSetHash(String name, List<Principle> principles) {
        return sha256(principleSetJson(name, principles));
    }

    /** sha256 (lowercase hex) of the canonical JSON of an exemplar set. */
    public static String exemplarSetHash(String name, List<Exemplar> exemplars) {
        return sha256(exemplarSetJson(name, exemplars));
    }

    /** sha256 of the UTF-8 bytes, lowercase hex. */
    public static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static String write(Object doc) {
        try {
            return CANONICAL.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a set", e);
        }
    }
}
