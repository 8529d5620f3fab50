package salmonrun.activities.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCompletionException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;

/**
 * Runs an activity body inside its own lineage execution row:
 * <ol>
 *   <li>the execution key (step, code version, config, shard, seed, input artifact hashes, principle-set and
 *       exemplar-set hashes) is looked up first: a completed match whose outputs are all still in the artifact
 *       store returns them (unless forced), recorded in {@code run_reuse} when it belongs to another run;</li>
 *   <li>the row is opened with idempotency key {@code workflowId/runId/activityId}, which a retried attempt repeats,
 *       so retries find their row (and its checkpoints) instead of adding one;</li>
 *   <li>the body runs with a heartbeating listener; its outputs complete the row.</li>
 * </ol>
 * Bad input becomes a non-retryable failure; anything else is left to the retry policy.
 */
public final class StepRunner {
    private static final Logger log = LoggerFactory.getLogger(StepRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The work of one activity. */
    @FunctionalInterface
    public interface Body {
        StepResult run(StepContext ctx) throws Exception;
    }

    private final ActivityServices services;
    private final long reportMillis;
    private boolean modelThread;

    public StepRunner(ActivityServices services) {
        this(services, 2000);
    }

    public StepRunner(ActivityServices services, long reportMillis) {
        this.services = services;
        this.reportMillis = reportMillis;
    }

    /**
     * Bodies run with autograd recording off on the activity thread, as on the thread that initialised the engine.
     * PyTorch keeps the grad mode per thread and a fresh Temporal executor thread starts with it ON, which makes
     * the optimizers' in-place parameter updates fail ("a leaf Variable that requires grad is being used in an
     * in-place operation"); the trainers turn recording on where they need it.
     */
    public StepRunner onModelThread() {
        this.modelThread = true;
        return this;
    }

    /** Runs {@code body} for {@code call} as lineage phase {@code phase} (e.g. "self_align.generate"). */
    public StepResult run(String phase, StepCall call, Body body) {
        return run(phase, call, body, null);
    }

    /**
     * Runs one segment of work that spans several activities (PPO iterations) on ONE lineage execution, keyed by
     * {@code workflowId/sharedKey} (stable across continue-as-new), so each segment resumes from the newest
     * checkpoint the previous ones registered. The execution key covers only {@code keyInputs} and the config;
     * the execution completes with the last segment ({@code call.shard == call.shards - 1}).
     */
    public StepResult runSegment(String phase, StepCall call, String sharedKey, Map<String, Long> keyInputs,
                                 Body body) {
        return run(phase, call, body, new Shared(sharedKey, keyInputs));
    }

    private record Shared(String key, Map<String, Long> keyInputs) {}

    private StepResult run(String phase, StepCall call, Body body, Shared shared) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        ActivityInfo info = context.getInfo();
        // The keep-alive starts before the first database call: the heartbeat clock runs from the start.
        TemporalProgress listener = new TemporalProgress(context, services.lineage(), phase, reportMillis);
        try {
            listener.beat();
            PhaseExecution execution;
            try {
                String key = shared == null ? executionKey(phase, call)
                        : Keys.of(services, phase, sharedConfig(call), shared.keyInputs(), null, call.exemplarSetId());
                if (!call.force() && shared == null) {
                    Optional<PhaseExecution> done = Memo.reuse(services, key, call.runId(), phase);
                    if (done.isPresent()) {
                        log.info("{} shard {}: memoized by execution {}", phase, call.shard(), done.get().id());
                        return new StepResult(done.get().outputs(), metricsOf(done.get().metrics()), true);
                    }
                }
                String idempotencyKey = shared == null
                        ? info.getWorkflowId() + "/" + info.getRunId() + "/" + info.getActivityId()
                        : info.getWorkflowId() + "/" + shared.key();
                execution = services.lineage().startExecution(new ExecutionStart(call.runId(), phase,
                        idempotencyKey, key, identity(context), call.principleSetId(), call.exemplarSetId(),
                        configOf(call, true)));
            } catch (RuntimeException e) {
                throw Failures.toActivityFailure(e);
            }
            if (shared == null && "completed".equals(execution.status())) {
                // An earlier attempt finished but its result never reached the server.
                return new StepResult(execution.outputs(), metricsOf(execution.metrics()), false);
            }
            listener.attach(execution.id());
            try {
                StepContext stepContext = new StepContext(call, execution.id(), services, listener);
                StepResult result;
                if (modelThread) {
                    try (salmonrun.activities.model.NoGrad noGrad = new salmonrun.activities.model.NoGrad()) {
                        result = body.run(stepContext);
                    }
                } else {
                    result = body.run(stepContext);
                }
                if (shared == null || call.shard() == call.shards() - 1) {
                    services.lineage().completeExecution(execution.id(), result.outputs(),
                            JSON.valueToTree(result.metrics()));
                }
                return result;
            } catch (ActivityCompletionException e) {
                log.info("{} shard {} stopped: {}", phase, call.shard(), e.toString());
                bestEffortFail(execution.id(), "cancelled");
                throw e;
            } catch (Exception e) {
                RuntimeException failure = Failures.toActivityFailure(e);
                if (Failures.isBadInput(e)) {
                    bestEffortFail(execution.id(), failure.getMessage());
                }
                throw failure;
            }
        } finally {
            listener.close();
        }
    }

    /** The memoization key: everything that decides this step's outputs. */
    String executionKey(String phase, StepCall call) {
        return Keys.of(services, phase, configOf(call, false), call.inputs(), call.principleSetId(),
                call.exemplarSetId());
    }

    private static JsonNode sharedConfig(StepCall call) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.set("config", call.config());
        config.put("segments", call.shards());
        config.put("seed", call.seed());
        return config;
    }

    /** The step's config as stored; the phase execution it belongs to is recorded but not part of the key. */
    private static JsonNode configOf(StepCall call, boolean withParent) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.set("config", call.config());
        config.put("shard", call.shard());
        config.put("shards", call.shards());
        config.put("seed", call.seed());
        if (withParent && call.phaseExecutionId() != null) {
            config.put("phase_execution", call.phaseExecutionId());
        }
        return config;
    }

    static Map<String, Double> metricsOf(JsonNode metrics) {
        Map<String, Double> out = new TreeMap<>();
        if (metrics != null) {
            metrics.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    out.put(e.getKey(), e.getValue().asDouble());
                }
            });
        }
        return out;
    }

    private static String identity(ActivityExecutionContext context) {
        try {
            return context.getWorkflowClient().getOptions().getIdentity();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private void bestEffortFail(long executionId, String error) {
        try {
            services.lineage().failExecution(executionId, error);
        } catch (RuntimeException e) {
            log.warn("could not mark execution {} failed: {}", executionId, e.toString());
        }
    }
}
