package salmonrun.activities.principles;

import java.util.List;

/** An immutable, versioned set of exemplars; {@code id} is null until stored. */
public record ExemplarSet(Long id, String name, String contentHash, List<Exemplar> exemplars) {

    public ExemplarSet {
        exemplars = List.copyOf(exemplars);
    }

    /** A not-yet-stored set with its content hash computed ({@link ContentHashes}). */
    public static ExemplarSet of(String name, List<Exemplar> exemplars) {
        return new ExemplarSet(null, name, ContentHashes.exemplarSetHash(name, exemplars), exemplars);
    }

    /** The same set with the id it was stored under. */
    public ExemplarSet withId(long storedId) {
        return new ExemplarSet(storedId, name, contentHash, exemplars);
    }
}
