package salmonrun.activities.principles;

import java.util.List;

/** An immutable, versioned set of exemplars; {@code id} is null until stored. */
public record ExemplarSet(Long id, String name, String contentHash, List<Exemplar> exemplars) {

    public ExemplarSet {
        exemplars = List.copyOf(exemplars);
    }

    /** A not-yet-stored set with its text stripped and its content hash computed ({@link ContentHashes}). */
    public static ExemplarSet of(String name, List<Exemplar> exemplars) {
        List<Exemplar> stripped = exemplars.stream().map(e -> new Exemplar(strip(e.instruction()),
                strip(e.internalThoughts()), strip(e.response()))).toList();
        return new ExemplarSet(null, strip(name), ContentHashes.exemplarSetHash(name, stripped), stripped);
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    /** The same set with the id it was stored under. */
    public ExemplarSet withId(long storedId) {
        return new ExemplarSet(storedId, name, contentHash, exemplars);
    }
}
