package salmonrun.activities.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.common.BadInputException;
import salmonrun.activities.common.PhaseValidation;
import salmonrun.activities.common.StepRunner;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.salmon.ChatFormat;
import salmonrun.activities.salmon.PhaseContext;
import salmonrun.activities.salmon.PpoConfig;
import salmonrun.activities.salmon.PpoPhase;
import salmonrun.activities.salmon.ProgressListener;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;
import salmonrun.workflows.ppo.PpoActivities;
import salmonrun.workflows.ppo.PrincipleChangeReceipt;
import salmonrun.workflows.ppo.PrincipleChangeRecord;

/**
 * PPO through {@link PpoPhase}, in segments: every iteration activity of a Ppo workflow works on ONE lineage
 * execution, so {@code PpoPhase} resumes from the newest registered checkpoint (policy, value, optimizer and
 * schedule state, the same SFT reference) and stops after {@code segmentSteps} more PPO steps. The RL principles
 * are read from the database before every rollout ({@link RlPrinciplesInForce}): a principle change recorded by
 * the workflow's Update lands at the next rollout batch, inside the running segment.
 */
public final class PpoActivitiesImpl implements PpoActivities {
    private final ActivityServices services;
    private final StepRunner runner;
    private final PrincipleChanges changes;

    public PpoActivitiesImpl(ActivityServices services, PhaseValidation validation, long reportMillis) {
        this.services = services;
        this.runner = new StepRunner(services, reportMillis).onModelThread();
        this.changes = new PrincipleChanges(services, validation);
    }

    /** The {@code ppo} section: PpoConfig fields overriding its defaults, plus {@code segmentSteps}. */
    public record Section(PpoConfig ppo, int segmentSteps) {}

    /** Reads the section; segmentSteps (default: checkpointEvery) must be a multiple of checkpointEvery. */
    public static Section config(JsonNode json) {
        ObjectNode copy = json == null || !json.isObject() ? com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode() : ((ObjectNode) json).deepCopy();
        JsonNode seg = copy.remove("segmentSteps");
        PpoConfig ppo;
        try {
            ppo = PpoConfig.fromJson(copy);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("ppo: " + e.getMessage(), e);
        }
        int segment = seg == null ? ppo.checkpointEvery() : seg.asInt();
        if (segment < 1 || segment % ppo.checkpointEvery() != 0) {
            throw new BadInputException("ppo.segmentSteps must be a positive multiple of checkpointEvery ("
                    + ppo.checkpointEvery() + "), got " + segment);
        }
        return new Section(ppo, segment);
    }

    /** Thrown through the phase's listener once the segment's last checkpoint is registered. */
    private static final class SegmentDone extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long checkpoint;
        final Map<String, Double> metrics;

        SegmentDone(long checkpoint, Map<String, Double> metrics) {
            super("segment done", null, false, false);
            this.checkpoint = checkpoint;
            this.metrics = metrics;
        }
    }

    @Override
    public StepResult iteration(StepCall call) {
        Long sft = call.inputs().get("sft_model");
        Map<String, Long> keyInputs = new TreeMap<>();
        keyInputs.put("sft_model", sft == null ? call.inputs().get("policy") : sft);
        keyInputs.put("reward_model", call.inputs().get("reward_model"));
        keyInputs.put("prompt_pool", call.inputs().get("prompt_pool"));
        return runner.runSegment("ppo.train", call, "ppo-train", keyInputs, ctx -> {
            Section section = config(call.config());
            PrincipleSet principles = ctx.principleSet();
            // Read before every rollout: a change recorded while this segment runs lands at its next rollout.
            RlPrinciplesInForce inForce = new RlPrinciplesInForce(services, call.runId(), call.phaseExecutionId(),
                    call.principleSetId(), ctx.executionId());
            long[] lastSet = {call.principleSetId()};
            long segmentEnd = (long) (call.shard() + 1) * section.segmentSteps();
            boolean last = call.shard() == call.shards() - 1;
            ProgressListener inner = ctx.progress();
            ProgressListener segmented = p -> {
                inner.onProgress(p);
                if (!last && p.checkpointArtifactId() != null && p.step() >= segmentEnd) {
                    throw new SegmentDone(p.checkpointArtifactId(), p.metrics());
                }
            };
            PhaseContext phase = new PhaseContext(services.lineage(), services.store(), ctx.executionId(),
                    call.runId(), segmented);
            long checkpoint;
            Map<String, Double> metrics = new TreeMap<>();
            try {
                PpoPhase.Result r = PpoPhase.run(phase, new PpoPhase.Inputs(keyInputs.get("sft_model"),
                        keyInputs.get("reward_model"), keyInputs.get("prompt_pool"), principles,
                        PpoPhase.chatQuery(ChatFormat.standard()), step -> {
                            PrincipleSet set = inForce.inForce(step);
                            lastSet[0] = set.id();
                            return set;
                        }), section.ppo());
                checkpoint = r.checkpointArtifactId();
                metrics.putAll(r.lastMetrics());
                metrics.put("steps", (double) r.steps());
            } catch (SegmentDone done) {
                checkpoint = done.checkpoint;
                metrics.putAll(done.metrics);
            }
            metrics.put("rl_principle_set", (double) lastSet[0]);
            return new StepResult(Map.of("policy", checkpoint), metrics, false);
        });
    }

    @Override
    public PrincipleChangeReceipt recordPrincipleChange(PrincipleChangeRecord change) {
        return changes.record(change);
    }
}
