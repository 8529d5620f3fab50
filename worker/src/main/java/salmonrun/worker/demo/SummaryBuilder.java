package salmonrun.worker.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ExecutionDetail;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.run.RunResult;

/**
 * Builds the demo summary from what the run really produced: the workflow result (phase outputs, figures, memoized
 * flags), the Temporal service (each phase's child workflow start and close time), and lineage (execution timings,
 * the evaluation artifacts' grader figures).
 */
public final class SummaryBuilder {
    /** Order of the evaluation rows; unknown labels follow alphabetically. */
    static final List<String> MODEL_ORDER = List.of("base", "base_principles", "sft", "ppo");

    private final WorkflowClient client;
    private final LineageRepository lineage;

    public SummaryBuilder(WorkflowClient client, LineageRepository lineage) {
        this.client = client;
        this.lineage = lineage;
    }

    /** One row per pipeline phase; phases the run did not include are "not_available" or "not_run". */
    public List<DemoSummary.PhaseSummary> phases(RunResult result, DemoPieces pieces) {
        List<DemoSummary.PhaseSummary> out = new ArrayList<>();
        for (String phase : PhaseNames.ALL) {
            PhaseOutputs o = result == null ? null : result.phases().get(phase);
            if (o == null) {
                boolean built = pieces.runnable().contains(phase);
                out.add(new DemoSummary.PhaseSummary(phase, built ? "not_run" : "not_available", null, null, null,
                        Map.of(), Map.of()));
                continue;
            }
            Double wall = childSeconds(result.workflowId() + "-" + phase);
            double compute = SandboxBaseModel.seconds(lineage.execution(o.executionId()));
            out.add(new DemoSummary.PhaseSummary(phase, o.memoized() ? "memoized" : "ran", o.executionId(), wall,
                    compute, new TreeMap<>(o.metrics()), new TreeMap<>(o.artifacts())));
        }
        return out;
    }

    /**
     * The phase rows of a run that failed: what lineage recorded for this run (completed phases "ran", the failed
     * one "failed" with its error in the summary), phases completed from memoized executions "memoized".
     */
    public List<DemoSummary.PhaseSummary> phasesOfFailedRun(String workflowId, Long runId, List<String> completed,
                                                            DemoPieces pieces) {
        Map<String, ExecutionDetail> rows = new LinkedHashMap<>();
        if (runId != null) {
            for (ExecutionDetail d : lineage.executionsOfRun(runId)) {
                if (PhaseNames.ALL.contains(d.execution().phase())) {
                    rows.put(d.execution().phase(), d); // the newest row of each phase wins
                }
            }
        }
        List<DemoSummary.PhaseSummary> out = new ArrayList<>();
        for (String phase : PhaseNames.ALL) {
            ExecutionDetail d = rows.get(phase);
            if (d != null) {
                String status = d.execution().completed() ? "ran" : "failed";
                out.add(new DemoSummary.PhaseSummary(phase, status, d.execution().id(),
                        childSeconds(workflowId + "-" + phase), SandboxBaseModel.seconds(d),
                        SandboxBaseModel.metricsOf(d.execution().metrics()), new TreeMap<>(d.execution().outputs())));
            } else if (completed.contains(phase)) {
                out.add(new DemoSummary.PhaseSummary(phase, "memoized", null, childSeconds(workflowId + "-" + phase),
                        null, Map.of(), Map.of()));
            } else {
                out.add(new DemoSummary.PhaseSummary(phase, pieces.runnable().contains(phase) ? "not_run"
                        : "not_available", null, null, null, Map.of(), Map.of()));
            }
        }
        return out;
    }

    /** The grader's figures per evaluated model, read from the eval phase's evaluation artifacts. */
    public List<DemoSummary.EvaluationSummary> evaluations(RunResult result) {
        PhaseOutputs eval = result == null ? null : result.phases().get(PhaseNames.EVAL);
        if (eval == null) {
            return List.of();
        }
        List<DemoSummary.EvaluationSummary> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : eval.artifacts().entrySet()) {
            if (!e.getKey().startsWith("evaluation:")) {
                continue;
            }
            String label = e.getKey().substring("evaluation:".length());
            Artifact artifact = lineage.artifact(e.getValue());
            rows.add(evaluation(label, artifact.id(), artifact.metadata(), eval.metrics()));
        }
        rows.sort(Comparator.comparingInt((DemoSummary.EvaluationSummary r) -> rank(r.model()))
                .thenComparing(DemoSummary.EvaluationSummary::model));
        return rows;
    }

    static int rank(String label) {
        int i = MODEL_ORDER.indexOf(label);
        return i < 0 ? MODEL_ORDER.size() : i;
    }

    /**
     * Reads an evaluation's summary from its artifact metadata (the report, possibly nested under "report" or
     * "summary"), falling back to the eval phase's figures {@code <label>.<name>}.
     */
    static DemoSummary.EvaluationSummary evaluation(String label, long artifactId, JsonNode metadata,
                                                    Map<String, Double> phaseMetrics) {
        JsonNode report = metadata;
        for (String nested : new String[] {"report", "summary"}) {
            if (metadata != null && metadata.has(nested) && metadata.get(nested).isObject()) {
                report = metadata.get(nested);
            }
        }
        Double composite = number(report, "composite");
        Integer n = report != null && report.has("n") && report.get("n").isNumber() ? report.get("n").asInt() : null;
        Map<String, Double> attributes = new TreeMap<>();
        JsonNode rates = firstObject(report, "attributeTrueRates", "attribute_true_rates", "attributes");
        if (rates != null) {
            rates.fields().forEachRemaining(f -> {
                JsonNode v = f.getValue();
                if (v.isNumber()) {
                    attributes.put(f.getKey(), v.asDouble());
                } else if (v.isObject() && v.has("trueRate")) {
                    attributes.put(f.getKey(), v.get("trueRate").asDouble());
                } else if (v.isObject() && v.has("true_rate")) {
                    attributes.put(f.getKey(), v.get("true_rate").asDouble());
                }
            });
        }
        String prefix = label + ".";
        Map<String, Double> fromPhase = new LinkedHashMap<>();
        phaseMetrics.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                fromPhase.put(k.substring(prefix.length()), v);
            }
        });
        if (composite == null) {
            composite = fromPhase.get("composite");
        }
        if (attributes.isEmpty()) {
            fromPhase.forEach((k, v) -> {
                if (k.startsWith("rate_")) {
                    attributes.put(k.substring("rate_".length()), v);
                } else if (k.startsWith("attr.")) {
                    attributes.put(k.substring("attr.".length()), v);
                } else if (k.endsWith("_rate") && !k.equals("finished_rate")) {
                    attributes.put(k.substring(0, k.length() - "_rate".length()), v);
                }
            });
        }
        return new DemoSummary.EvaluationSummary(label, artifactId, n, composite, attributes);
    }

    private static JsonNode firstObject(JsonNode node, String... names) {
        if (node == null) {
            return null;
        }
        for (String name : names) {
            if (node.has(name) && node.get(name).isObject()) {
                return node.get(name);
            }
        }
        return null;
    }

    private static Double number(JsonNode node, String name) {
        return node != null && node.has(name) && node.get(name).isNumber() ? node.get(name).asDouble() : null;
    }

    /** A child workflow's wall time from the service's start and close timestamps; null if unknown. */
    Double childSeconds(String workflowId) {
        try {
            WorkflowExecutionInfo info = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build()).getWorkflowExecutionInfo();
            if (!info.hasCloseTime()) {
                return null;
            }
            long start = info.getStartTime().getSeconds() * 1000 + info.getStartTime().getNanos() / 1_000_000;
            long close = info.getCloseTime().getSeconds() * 1000 + info.getCloseTime().getNanos() / 1_000_000;
            return (close - start) / 1000.0;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
