package salmonrun.activities.principles;

import java.util.List;

/** An immutable, versioned set of exemplars; {@code id} is null until stored. */
public record ExemplarSet(Long id, String name, String contentHash, List<Exemplar> exemplars) {

    public ExemplarSet {
        exemplars = List.copyOf(exemplars);
    }
}
