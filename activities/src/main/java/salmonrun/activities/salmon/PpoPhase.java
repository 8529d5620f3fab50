package salmonrun.activities.salmon;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.checkpoint.TrainingState;
import salmonrun.activities.model.tokenizer.TextTokenizer;
import salmonrun.activities.principles.PrincipleSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Phase P12: PPO of the SFT policy against the instructable reward model with RL-time principles. Registers a
 * {@code rollouts} artifact per step (every prompt's sampled principles and reward terms), per-step metrics, and
 * a {@code checkpoint} every {@code checkpointEvery} steps and at the end: the policy in the checkpoint layout at
 * the top (usable by any phase that loads a decoder), the value model under {@code value/}, and
 * {@code ppo_state.json} (steps done, sampler RNG state). A retried execution resumes from its newest checkpoint.
 */
public final class PpoPhase {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STATE_FILE = "ppo_state.json";
    static final String VALUE_DIR = "value";

    private PpoPhase() {}

    /**
     * Inputs by artifact id plus the RL principle set and how to render the policy's query; {@code schedule}, when
     * given, names the set in force before every rollout batch (a change lands at the next rollout), otherwise
     * {@code principles} holds for the whole run.
     */
    public record Inputs(long sftCheckpointId, long rewardModelCheckpointId, long promptPoolId, PrincipleSet principles,
                         Function<RlPrompt, String> policyQuery, PrincipleSchedule schedule) {

        public Inputs(long sftCheckpointId, long rewardModelCheckpointId, long promptPoolId, PrincipleSet principles,
                      Function<RlPrompt, String> policyQuery) {
            this(sftCheckpointId, rewardModelCheckpointId, promptPoolId, principles, policyQuery, null);
        }
    }

    /** The RL principle set in force for PPO step {@code step} (1-based), asked before its rollout. */
    @FunctionalInterface
    public interface PrincipleSchedule {
        PrincipleSet inForce(int step);
    }

    /** What the phase produced: the final checkpoint, every rollouts artifact, the last step's figures. */
    public record Result(long checkpointArtifactId, List<Long> rolloutArtifactIds, int steps, Map<String, Double> lastMetrics) {}

    /** The policy query: chat format 1 up to "### {assistant}" with the format's concise system prompt. */
    public static Function<RlPrompt, String> chatQuery(ChatFormat format) {
        return p -> format.prompt(format.conciseSystemPrompt(), p.userTurn());
    }

    /** A prompt-pool file (phases I's JSON Lines) as RL prompts; a missing question type means general (0). */
    public static List<RlPrompt> readPool(byte[] bytes, String source) {
        List<RlPrompt> out = new ArrayList<>();
        try {
            for (Prompt p : PromptPool.fromJsonl(bytes)) {
                out.add(new RlPrompt(p.userTurn(), p.questionType() == null ? 0 : p.questionType(), p.lengthBonus()));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a prompt pool: " + e.getMessage(), e);
        }
        return out;
    }

    public static Result run(PhaseContext ctx, Inputs in, PpoConfig config) {
        config.validated();
        Path sft = Checkpoints.dir(ctx, in.sftCheckpointId());
        Path rmDir = Checkpoints.dir(ctx, in.rewardModelCheckpointId());
        List<RlPrompt> pool = readPool(ctx.read(in.promptPoolId(), "prompt-pool"), "prompt-pool artifact " + in.promptPoolId());
        // The set of the step being rolled out; a new sampler only when the set in force changes.
        PrincipleSet[] current = {in.principles()};
        RlPrincipleSampler[] sampler = {new RlPrincipleSampler(in.principles(), config.principlesPerPrompt(), config.boosts())};
        PpoTrainer.SamplerSource samplers = step -> {
            PrincipleSet set = in.schedule() == null ? in.principles() : in.schedule().inForce(step);
            if (!sameSet(set, current[0])) {
                sampler[0] = new RlPrincipleSampler(set, config.principlesPerPrompt(), config.boosts());
            }
            current[0] = set;
            return sampler[0];
        };
        List<ArtifactEdge> inputs = List.of(new ArtifactEdge(in.sftCheckpointId(), "policy-init"),
                new ArtifactEdge(in.rewardModelCheckpointId(), "reward-model"),
                new ArtifactEdge(in.promptPoolId(), "prompts"));

        Optional<Artifact> newest = ctx.lineage().newestArtifact(ctx.executionId(), "checkpoint");
        Path resumeDir = newest.map(a -> ctx.store().resolve(a.sha256())).orElse(null);
        TextTokenizer tokenizer = Checkpoint.loadTokenizer(sft);
        try (LlamaModel policy = Checkpoint.loadDecoder(resumeDir != null ? resumeDir : sft, Device.cpu());
             LlamaModel reference = Checkpoint.loadDecoder(sft, Device.cpu());
             ScalarHeadModel value = Checkpoint.loadScalarHead(resumeDir != null ? resumeDir.resolve(VALUE_DIR) : rmDir,
                     Device.cpu());
             ScalarHeadModel reward = Checkpoint.loadScalarHead(rmDir, Device.cpu());
             TextTokenizer rmTokenizer = Checkpoint.loadTokenizer(rmDir)) {
            if (resumeDir == null) {
                PpoTrainer.zeroValueHead(value);
            }
            PpoTrainer.Models models = new PpoTrainer.Models(policy, reference, value,
                    new InstructableRewardModel(reward, rmTokenizer, config.rewardLimits()), tokenizer);
            PpoTrainer trainer = new PpoTrainer(models, config, samplers, in.policyQuery());
            List<RlPrompt> usable = trainer.usable(pool);
            PpoTrainer.State resume = resumeDir == null ? null : readState(resumeDir);
            List<Long> rolloutIds = new ArrayList<>();
            long[] last = {newest.map(Artifact::id).orElse(-1L)};
            @SuppressWarnings("unchecked")
            Map<String, Double>[] lastMetrics = new Map[] {Map.of()};
            long[] generated = {0};
            trainer.train(usable, resume, (r, total, state) -> {
                Map<String, Double> metrics = new java.util.LinkedHashMap<>(r.metrics());
                if (current[0].id() != null) {
                    metrics.put("rl_principle_set", (double) current[0].id());
                }
                ctx.lineage().recordTrainingMetrics(ctx.executionId(), r.step(), metrics);
                ObjectNode rmeta = JSON.createObjectNode().put("step", r.step()).put("rollouts", r.rollouts().size());
                rmeta.set("principle_set", principleSetRef(current[0]));
                rmeta.set("principle_counts", JSON.valueToTree(principleCounts(r.rollouts())));
                rmeta.set("metrics", JSON.valueToTree(metrics));
                rolloutIds.add(ctx.register("rollouts", Rollout.toJsonl(r.rollouts()), rmeta, inputs).id());
                Long ckpt = null;
                if (r.step() % config.checkpointEvery() == 0 || r.step() == total) {
                    ObjectNode meta = JSON.createObjectNode().put("role", "policy").put("phase", "ppo")
                            .put("step", r.step()).put("total_steps", total).put("final", r.step() == total);
                    meta.set("metrics", JSON.valueToTree(metrics));
                    ckpt = Checkpoints.inScratch(dir -> {
                        save(dir, policy, value, tokenizer.file(), state, total);
                        return ctx.registerDirectory("checkpoint", dir, meta, inputs).id();
                    });
                    last[0] = ckpt;
                }
                lastMetrics[0] = metrics;
                generated[0] += r.rollouts().stream().mapToLong(Rollout::responseTokens).sum();
                Map<String, Double> reported = new java.util.LinkedHashMap<>(metrics);
                reported.put("tokens", (double) generated[0]); // response tokens sampled so far, for /metrics
                ctx.report("ppo", r.step(), total, reported, ckpt);
            });
            if (last[0] < 0) {
                throw new IllegalStateException("PPO ran no step: the prompt pool has " + usable.size()
                        + " usable prompts for rolloutBatchSize=" + config.rolloutBatchSize());
            }
            return new Result(last[0], rolloutIds, trainer.totalSteps(usable.size()), lastMetrics[0]);
        } finally {
            tokenizer.close();
        }
    }

    static boolean sameSet(PrincipleSet a, PrincipleSet b) {
        return a == b || (java.util.Objects.equals(a.id(), b.id()) && java.util.Objects.equals(a.contentHash(), b.contentHash())
                && a.name().equals(b.name()) && a.principles().equals(b.principles()));
    }

    /** Which principle set a step's rollouts were scored under: id (when stored), name, content hash. */
    static ObjectNode principleSetRef(PrincipleSet set) {
        ObjectNode o = JSON.createObjectNode();
        if (set.id() != null) {
            o.put("id", set.id());
        }
        o.put("name", set.name());
        if (set.contentHash() != null) {
            o.put("hash", set.contentHash());
        }
        return o;
    }

    static Map<String, Integer> principleCounts(List<Rollout> rollouts) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Rollout r : rollouts) {
            r.principles().forEach(p -> counts.merge(p, 1, Integer::sum));
        }
        return counts;
    }

    /** Writes policy (top level), value ({@code value/}) and the PPO state file into {@code dir}. */
    static void save(Path dir, LlamaModel policy, ScalarHeadModel value, Path tokenizerJson, PpoTrainer.State state,
                     int total) {
        Checkpoint.save(dir, policy, tokenizerJson, state.policyOptimizer());
        Checkpoint.save(dir.resolve(VALUE_DIR), value, tokenizerJson, state.valueOptimizer());
        ObjectNode s = JSON.createObjectNode().put("steps_done", state.stepsDone())
                .put("rng_state", Long.toString(state.rngState())).put("total_steps", total);
        try {
            Files.writeString(dir.resolve(STATE_FILE), s.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(STATE_FILE), e);
        }
    }

    /** Reads the state a PPO checkpoint directory carries; errors name the file. */
    static PpoTrainer.State readState(Path dir) {
        Path file = dir.resolve(STATE_FILE);
        try {
            JsonNode s = JSON.readTree(Files.readString(file));
            TrainingState policyOpt = Checkpoint.readTrainingState(dir).orElseThrow(() ->
                    new IllegalArgumentException(dir + ": PPO checkpoint has no policy training state"));
            TrainingState valueOpt = Checkpoint.readTrainingState(dir.resolve(VALUE_DIR)).orElseThrow(() ->
                    new IllegalArgumentException(dir + ": PPO checkpoint has no value training state"));
            return new PpoTrainer.State(s.get("steps_done").asInt(), Long.parseLong(s.get("rng_state").asText()),
                    policyOpt, valueOpt);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read PPO state " + file + ": " + e.getMessage(), e);
        }
    }
}
