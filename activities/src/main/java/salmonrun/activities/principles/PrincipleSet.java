package salmonrun.activities.principles;

import java.util.List;

/** An immutable, versioned principle set; {@code id} is null until stored, {@code contentHash} keys the version. */
public record PrincipleSet(Long id, String name, String contentHash, List<Principle> principles) {

    public PrincipleSet {
        principles = List.copyOf(principles);
    }

    /** The principles with the given role, in file order. */
    public List<Principle> withRole(Role role) {
        return principles.stream().filter(p -> p.role() == role).toList();
    }
}
