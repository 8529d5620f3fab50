package salmonrun.activities.principles;

import java.util.List;

/** An immutable, versioned principle set; {@code id} is null until stored, {@code contentHash} keys the version. */
public record PrincipleSet(Long id, String name, String contentHash, List<Principle> principles) {

    public PrincipleSet {
        principles = List.copyOf(principles);
    }

    /** A not-yet-stored set with its text stripped and its content hash computed ({@link ContentHashes}). */
    public static PrincipleSet of(String name, List<Principle> principles) {
        List<Principle> stripped = principles.stream().map(p -> new Principle(strip(p.name()), strip(p.definition()),
                strip(p.negativeDefinition()), p.weight(), p.role())).toList();
        return new PrincipleSet(null, strip(name), ContentHashes.principleSetHash(name, stripped), stripped);
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    /** The principles with the given role, in file order. */
    public List<Principle> withRole(Role role) {
        return principles.stream().filter(p -> p.role() == role).toList();
    }

    /** The principle with this role and name, or null. */
    public Principle find(Role role, String principleName) {
        return principles.stream().filter(p -> p.role() == role && p.name().equals(principleName))
                .findFirst().orElse(null);
    }

    /** The same set with the id it was stored under. */
    public PrincipleSet withId(long storedId) {
        return new PrincipleSet(storedId, name, contentHash, principles);
    }
}
