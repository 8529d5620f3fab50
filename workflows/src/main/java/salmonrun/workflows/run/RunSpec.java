package salmonrun.workflows.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import salmonrun.workflows.common.PhaseNames;

/**
 * The input of the SalmonRun workflow (JSON; unknown fields are rejected). Artifact references are lineage
 * artifact ids, principle and exemplar sets are lineage set ids. See docs/orchestration.md for the shape.
 *
 * @param name            a label for humans
 * @param startedBy       who started the run (recorded in lineage), default "temporal"
 * @param preset          a config preset name the activities expand (e.g. "ci", "tiny"); informational here
 * @param baseModel       base checkpoint artifact id (self_align, reward_model init, eval "base")
 * @param promptPool      prompt-pool artifact id; built by self_align when absent
 * @param principleSet    principle set id (self-align rules, labelling principles, default RL principles)
 * @param rlPrincipleSet  RL-time principle set id for PPO; default {@code principleSet}
 * @param exemplarSet     exemplar set id for self_align
 * @param phases          the phases to run, in pipeline order; default all five
 * @param seed            base seed of every phase
 * @param force           re-run phases even when lineage holds a completed execution with the same key
 * @param shards          fan-out of generation and judging
 * @param heartbeatTimeoutSeconds heartbeat timeout of model activities (a dead worker is noticed after this)
 * @param ppoLoop         PPO iterations and iterations per workflow run (continue-as-new)
 * @param existing        artifacts from earlier runs for phases that are not run now
 * @param selfAlign       phase config, validated by the activities
 * @param preferences     phase config, validated by the activities
 * @param rewardModel     phase config, validated by the activities
 * @param ppo             phase config, validated by the activities
 * @param eval            phase config, validated by the activities
 */
public record RunSpec(String name, String startedBy, String preset, Long baseModel, Long promptPool,
                      Long principleSet, Long rlPrincipleSet, Long exemplarSet, List<String> phases, Long seed,
                      Boolean force, Shards shards, Integer heartbeatTimeoutSeconds, PpoLoop ppoLoop,
                      Existing existing, JsonNode selfAlign, JsonNode preferences, JsonNode rewardModel,
                      JsonNode ppo, JsonNode eval) {

    /** Fan-out of the sharded phases. */
    public record Shards(Integer generation, Integer judging) {
        public Shards {
            generation = positive(generation == null ? 2 : generation, "shards.generation");
            judging = positive(judging == null ? 2 : judging, "shards.judging");
        }
    }

    /** PPO rounds and how many run in one workflow run before continue-as-new. */
    public record PpoLoop(Integer iterations, Integer iterationsPerRun) {
        public PpoLoop {
            iterations = positive(iterations == null ? 4 : iterations, "ppoLoop.iterations");
            iterationsPerRun = positive(iterationsPerRun == null ? 50 : iterationsPerRun, "ppoLoop.iterationsPerRun");
        }
    }

    /** Outputs of earlier runs, used by phases whose producer is not part of this run. */
    public record Existing(Long sftModel, Long preferenceData, Long rewardModel, Long policyModel) {}

    public RunSpec {
        name = name == null ? "salmon-run" : name;
        startedBy = startedBy == null || startedBy.isBlank() ? "temporal" : startedBy;
        phases = phases == null ? PhaseNames.ALL : List.copyOf(phases);
        seed = seed == null ? 1L : seed;
        force = force != null && force;
        shards = shards == null ? new Shards(null, null) : shards;
        heartbeatTimeoutSeconds = heartbeatTimeoutSeconds == null ? 30 : heartbeatTimeoutSeconds;
        if (heartbeatTimeoutSeconds < 1 || heartbeatTimeoutSeconds > 3600) {
            throw new IllegalArgumentException("heartbeatTimeoutSeconds must be between 1 and 3600, got "
                    + heartbeatTimeoutSeconds);
        }
        ppoLoop = ppoLoop == null ? new PpoLoop(null, null) : ppoLoop;
        existing = existing == null ? new Existing(null, null, null, null) : existing;
        selfAlign = orEmpty(selfAlign);
        preferences = orEmpty(preferences);
        rewardModel = orEmpty(rewardModel);
        ppo = orEmpty(ppo);
        eval = orEmpty(eval);
        checkPhases(phases);
        checkInputs(phases, existing, baseModel, promptPool, principleSet, rlPrincipleSet, exemplarSet);
    }

    /** Whether the spec runs this phase. */
    public boolean runs(String phase) {
        return phases.contains(phase);
    }

    /** The RL-time principle set in force at the start of PPO. */
    public long rlPrinciples() {
        return rlPrincipleSet != null ? rlPrincipleSet : principleSet;
    }

    private static void checkPhases(List<String> phases) {
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("phases must name at least one of " + PhaseNames.ALL);
        }
        Set<String> seen = new HashSet<>();
        int last = -1;
        for (String p : phases) {
            int at = PhaseNames.ALL.indexOf(p);
            if (at < 0) {
                throw new IllegalArgumentException("phases: unknown phase '" + p + "', expected " + PhaseNames.ALL);
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException("phases: '" + p + "' is listed twice");
            }
            if (at < last) {
                throw new IllegalArgumentException("phases must be in pipeline order " + PhaseNames.ALL);
            }
            last = at;
        }
    }

    /** Every phase must find its inputs either in an earlier phase of this run or in the spec. */
    private static void checkInputs(List<String> phases, Existing existing, Long baseModel, Long promptPool,
                                    Long principleSet, Long rlPrincipleSet, Long exemplarSet) {
        record View(List<String> phases, Existing existing, Long baseModel, Long promptPool, Long principleSet,
                    Long rlPrincipleSet, Long exemplarSet) {
            boolean runs(String phase) {
                return phases.contains(phase);
            }
        }
        View s = new View(phases, existing, baseModel, promptPool, principleSet, rlPrincipleSet, exemplarSet);
        boolean sft = s.runs(PhaseNames.SELF_ALIGN) || s.existing().sftModel() != null;
        boolean pool = s.runs(PhaseNames.SELF_ALIGN) || s.promptPool() != null;
        if (s.runs(PhaseNames.SELF_ALIGN)) {
            require(s.baseModel() != null, "baseModel", PhaseNames.SELF_ALIGN);
            require(s.principleSet() != null, "principleSet", PhaseNames.SELF_ALIGN);
            require(s.exemplarSet() != null, "exemplarSet", PhaseNames.SELF_ALIGN);
        }
        if (s.runs(PhaseNames.PREFERENCES)) {
            require(sft, "existing.sftModel (or the self_align phase)", PhaseNames.PREFERENCES);
            require(pool, "promptPool (or the self_align phase)", PhaseNames.PREFERENCES);
            require(s.principleSet() != null, "principleSet", PhaseNames.PREFERENCES);
        }
        if (s.runs(PhaseNames.REWARD_MODEL)) {
            require(s.baseModel() != null, "baseModel", PhaseNames.REWARD_MODEL);
            require(s.runs(PhaseNames.PREFERENCES) || s.existing().preferenceData() != null,
                    "existing.preferenceData (or the preferences phase)", PhaseNames.REWARD_MODEL);
            require(s.principleSet() != null, "principleSet", PhaseNames.REWARD_MODEL);
        }
        if (s.runs(PhaseNames.PPO)) {
            require(sft, "existing.sftModel (or the self_align phase)", PhaseNames.PPO);
            require(s.runs(PhaseNames.REWARD_MODEL) || s.existing().rewardModel() != null,
                    "existing.rewardModel (or the reward_model phase)", PhaseNames.PPO);
            require(pool, "promptPool (or the self_align phase)", PhaseNames.PPO);
            require(s.principleSet() != null || s.rlPrincipleSet() != null, "rlPrincipleSet or principleSet",
                    PhaseNames.PPO);
        }
        if (s.runs(PhaseNames.EVAL)) {
            require(s.baseModel() != null || sft || s.runs(PhaseNames.PPO) || s.existing().policyModel() != null,
                    "a model to evaluate (baseModel, existing.sftModel, existing.policyModel)", PhaseNames.EVAL);
        }
    }

    private static void require(boolean ok, String field, String phase) {
        if (!ok) {
            throw new IllegalArgumentException(field + " is required by phase " + phase);
        }
    }

    private static int positive(int v, String field) {
        if (v < 1 || v > 1024) {
            throw new IllegalArgumentException(field + " must be between 1 and 1024, got " + v);
        }
        return v;
    }

    private static JsonNode orEmpty(JsonNode n) {
        if (n != null && !n.isNull() && !n.isObject()) {
            throw new IllegalArgumentException("phase configs must be JSON objects, got " + n.getNodeType());
        }
        return n == null || n.isNull() ? JsonNodeFactory.instance.objectNode() : n;
    }
}
