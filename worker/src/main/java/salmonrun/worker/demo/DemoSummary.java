package salmonrun.worker.demo;

import java.util.List;
import java.util.Map;

/**
 * What `salmon demo` prints at the end (as text, or as one JSON object with {@code --json}).
 *
 * @param status       "completed" (whole pipeline), "partial" (every built phase ran, some are not built yet),
 *                     "not_built" (nothing could run), or "failed"
 * @param workflowId   the SalmonRun workflow id (null when nothing ran)
 * @param runId        the lineage run id
 * @param totalSeconds wall time of the whole demo
 * @param baseModel    the sandbox base model (null when pretraining is not built)
 * @param phases       every pipeline phase in order, including those not run
 * @param evaluations  the grader's figures per evaluated model, in the order base, base with principles, SFT, PPO
 * @param notAvailable pieces that are not built yet, with the reason
 * @param reused       names of the steps reused from an earlier run (memoized) instead of recomputed
 * @param error        why the run failed, when it did
 */
public record DemoSummary(String status, String preset, String workflowId, Long runId, double totalSeconds,
                          BaseModelSummary baseModel, List<PhaseSummary> phases, List<EvaluationSummary> evaluations,
                          Map<String, String> notAvailable, List<String> reused, String error) {

    /** The pretrained (or reused) sandbox base model. */
    public record BaseModelSummary(long artifactId, long executionId, boolean memoized, double seconds,
                                   double computeSeconds, Map<String, Double> metrics) {}

    /**
     * One phase.
     *
     * @param status         "ran", "memoized" (reused from an earlier execution), "not_run" or "not_available"
     * @param seconds        wall time of the phase's child workflow in this run (Temporal start to close)
     * @param computeSeconds duration of the phase execution that produced the outputs (lineage timings; for a
     *                       memoized phase, the original execution's)
     */
    public record PhaseSummary(String phase, String status, Long executionId, Double seconds, Double computeSeconds,
                               Map<String, Double> metrics, Map<String, Long> artifacts) {}

    /**
     * The grader's figures for one model on the held-out split.
     *
     * @param model      base, base_principles (base with principles and exemplars in context), sft or ppo
     * @param composite  mean composite score 0-100
     * @param attributes per attribute, the share of graded answers where it holds (in [0, 1])
     */
    public record EvaluationSummary(String model, Long artifactId, Integer n, Double composite,
                                    Map<String, Double> attributes) {}
}
