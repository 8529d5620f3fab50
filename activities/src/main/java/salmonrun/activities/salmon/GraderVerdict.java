package salmonrun.activities.salmon;

import salmonrun.activities.principles.Principle;

/**
 * Ground truth for judge statistics (the sandbox grader): which output of a pair is better under a
 * principle — 1, 2, or 0 when the grader cannot establish it for that principle or the outputs tie.
 */
@FunctionalInterface
public interface GraderVerdict {
    int preferred(ResponsePair pair, Principle principle);
}
