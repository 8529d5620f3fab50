package salmonrun.activities.lineage;

import java.util.List;

/** The run before the audited one and its principle sets, for "what changed since last time". */
public record RunComparison(Run previousRun, List<PrincipleSetRef> previousPrincipleSets,
        boolean principleSetsChanged) {}
