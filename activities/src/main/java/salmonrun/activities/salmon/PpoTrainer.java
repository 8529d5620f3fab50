package salmonrun.activities.salmon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import salmonrun.activities.model.HostTensor;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.NoGrad;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.checkpoint.TrainingState;
import salmonrun.activities.model.generate.Generation;
import salmonrun.activities.model.generate.Generator;
import salmonrun.activities.model.generate.SamplingParams;
import salmonrun.activities.model.tokenizer.TextTokenizer;
import salmonrun.activities.model.train.AdamW;
import salmonrun.activities.model.train.Gradients;
import salmonrun.activities.model.train.Optimizer;
import salmonrun.activities.principles.Principle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * PPO with the instructable reward model (reference P12), on plain models: sample responses from the policy,
 * give the reward model each prompt's intervention principles plus principles sampled by weight, add the
 * symbolic terms, shape with the per-token KL to the frozen reference, estimate advantages with GAE, whiten them
 * over the batch, and take clipped policy and value steps in separate backward passes. All randomness (sampling
 * seeds, principle draws, minibatch order) comes from one {@link SplitMixRandom} whose state is part of
 * {@link State}, and the prompt order is a pure function of the seed, so a resumed run repeats the uninterrupted
 * one. Lineage and artifacts are handled by {@link PpoPhase}.
 */
public final class PpoTrainer {
    private final Models models;
    private final PpoConfig config;
    private final SamplerSource samplers;
    private final Function<RlPrompt, String> policyQuery;
    private final int padId;

    /** The four roles: trainable policy and value, frozen reference and reward model; the policy's tokenizer. */
    public record Models(LlamaModel policy, LlamaModel reference, ScalarHeadModel value, InstructableRewardModel rewardModel,
                         TextTokenizer tokenizer) {}

    /** Everything besides the weights a resumed run needs. */
    public record State(int stepsDone, long rngState, TrainingState policyOptimizer, TrainingState valueOptimizer) {}

    /** One PPO step: its rollouts (with the principles each prompt was scored under) and figures. */
    public record StepResult(int step, List<Rollout> rollouts, Map<String, Double> metrics) {}

    /**
     * The principle sampler for one rollout batch, asked before every rollout with the 1-based number of the PPO
     * step about to run, so RL-time principles can change between rollouts inside one training run.
     */
    @FunctionalInterface
    public interface SamplerSource {
        RlPrincipleSampler forStep(int step);
    }

    /** Called after every step with the state a checkpoint needs; may throw to stop training. */
    public interface StepListener {
        void afterStep(StepResult result, int totalSteps, State state);
    }

    /** @param policyQuery renders the policy's prompt (chat format) for an RL prompt */
    public PpoTrainer(Models models, PpoConfig config, RlPrincipleSampler sampler, Function<RlPrompt, String> policyQuery) {
        this(models, config, step -> sampler, policyQuery);
    }

    /** @param samplers the principle sampler in force for each step's rollout */
    public PpoTrainer(Models models, PpoConfig config, SamplerSource samplers, Function<RlPrompt, String> policyQuery) {
        this.models = models;
        this.config = config.validated();
        this.samplers = samplers;
        this.policyQuery = policyQuery;
        this.padId = InstructableRewardModel.padIdOf(models.tokenizer(), models.policy());
    }

    /** Zeroes the value head: the value model starts from the reward model with a fresh head, as the reference. */
    public static void zeroValueHead(ScalarHeadModel value) {
        int h = value.config().hiddenSize();
        value.parameters().put(new HostTensor(ScalarHeadModel.HEAD, new long[] {1, h}, new float[h]));
    }

    /** Prompts whose policy query fits {@code queryMaxTokens} (the reference drops longer ones). */
    public List<RlPrompt> usable(List<RlPrompt> pool) {
        List<RlPrompt> out = new ArrayList<>();
        for (RlPrompt p : pool) {
            if (models.tokenizer().encode(policyQuery.apply(p)).length <= config.queryMaxTokens()) {
                out.add(p);
            }
        }
        return out;
    }

    /** PPO steps this pool gives under the config. */
    public int totalSteps(int usablePrompts) {
        int all = new PromptSchedule(usablePrompts, config.rolloutBatchSize(), config.epochs(), config.seed()).totalSteps();
        return config.maxSteps() > 0 ? Math.min(config.maxSteps(), all) : all;
    }

    /**
     * Trains from {@code resume} (null: from scratch) over {@code pool} (already filtered with {@link #usable}).
     *
     * @return the steps run now
     */
    public List<StepResult> train(List<RlPrompt> pool, State resume, StepListener listener) {
        PromptSchedule schedule = new PromptSchedule(pool.size(), config.rolloutBatchSize(), config.epochs(), config.seed());
        int total = totalSteps(pool.size());
        int updatesPerStep = config.ppoEpochs() * (config.rolloutBatchSize() / config.stepBatchSize());
        // the reference steps its scheduler once per rollout; the engine's per-update schedule spans the same steps
        var lr = RewardModelTrainer.schedule(config.schedule(), config.learningRate(),
                (long) config.warmupSteps() * updatesPerStep, (long) total * updatesPerStep);
        AdamW.Config adam = new AdamW.Config(0.9, 0.999, 1e-8, 0.0);
        List<StepResult> results = new ArrayList<>();
        try (Optimizer policyOpt = new Optimizer(models.policy().parameters(), adam, lr, config.maxGradNorm());
             Optimizer valueOpt = new Optimizer(models.value().parameters(), adam, lr, config.maxGradNorm())) {
            int start = 0;
            SplitMixRandom rng = new SplitMixRandom(config.seed());
            if (resume != null) {
                policyOpt.adamW().loadState(resume.policyOptimizer().optimizer(), resume.policyOptimizer().step());
                valueOpt.adamW().loadState(resume.valueOptimizer().optimizer(), resume.valueOptimizer().step());
                rng = new SplitMixRandom(resume.rngState());
                start = resume.stepsDone();
            }
            for (int step = start; step < total; step++) {
                int[] idx = schedule.promptsForStep(step);
                Batch batch = rollout(step, idx, pool, rng, samplers.forStep(step + 1));
                List<PpoAdvantages.Targets> targets = PpoAdvantages.compute(batch.sequences, config);
                Map<String, Double> metrics = optimise(batch, targets, rng, policyOpt, valueOpt);
                List<Rollout> rollouts = new ArrayList<>();
                for (int i = 0; i < batch.rollouts.size(); i++) {
                    Rollout r = batch.rollouts.get(i);
                    rollouts.add(new Rollout(r.step(), r.promptIndex(), r.instruction(), r.questionType(), r.principles(),
                            r.response(), r.finished(), r.responseTokens(), r.rmScore(), r.lengthBonus(),
                            r.unfinishedPenalty(), targets.get(i).klSum()));
                }
                metrics.putAll(summary(rollouts));
                StepResult result = new StepResult(step + 1, rollouts, metrics);
                results.add(result);
                State state = new State(step + 1, rng.state(),
                        new TrainingState(policyOpt.steps(), policyOpt.adamW().stateTensors(), Map.of("role", "policy")),
                        new TrainingState(valueOpt.steps(), valueOpt.adamW().stateTensors(), Map.of("role", "value")));
                listener.afterStep(result, total, state);
            }
        }
        return results;
    }

    private record Batch(List<int[]> queries, List<int[]> responses, List<PpoAdvantages.Sequence> sequences,
                         List<Rollout> rollouts) {}

    /** Samples, scores and evaluates one rollout batch without gradients. */
    private Batch rollout(int step, int[] idx, List<RlPrompt> pool, SplitMixRandom rng, RlPrincipleSampler sampler) {
        TextTokenizer tok = models.tokenizer();
        SamplingParams params = new SamplingParams(config.responseMaxTokens(), config.temperature(), config.topP(),
                config.topK(), List.of(config.stopMarker()), List.of());
        List<int[]> queries = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        List<Generation> gens = new ArrayList<>();
        long[] seeds = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            seeds[i] = rng.nextLong();
            queries.add(tok.encode(policyQuery.apply(pool.get(idx[i]))));
        }
        Generator generator = new Generator(models.policy(), tok);
        for (int from = 0; from < idx.length; from += config.microBatchSize()) {
            int to = Math.min(idx.length, from + config.microBatchSize());
            int[][] q = queries.subList(from, to).toArray(new int[0][]);
            gens.addAll(generator.generate(q, params, java.util.Arrays.copyOfRange(seeds, from, to), true));
        }
        List<InstructableRewardModel.Input> rmInputs = new ArrayList<>();
        List<List<Principle>> shown = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            RlPrompt p = pool.get(idx[i]);
            int[] resp = gens.get(i).tokens();
            if (resp.length == 0) {
                resp = new int[] {padId};    // nothing could be sampled (context full): score an empty answer
            }
            responses.add(resp);
            List<Principle> principles = sampler.sample(p.questionType(), rng);
            shown.add(principles);
            rmInputs.add(new InstructableRewardModel.Input(forReward(gens.get(i).text()), p.userTurn(),
                    RewardModelPrompt.definitions(principles)));
        }
        double[] rmScores = models.rewardModel().score(rmInputs, config.microBatchSize());
        List<float[]> logp = new ArrayList<>();
        List<float[]> refLogp = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        try (NoGrad ignored = new NoGrad()) {
            for (int from = 0; from < idx.length; from += config.microBatchSize()) {
                int to = Math.min(idx.length, from + config.microBatchSize());
                QueryResponseBatch qr = new QueryResponseBatch(queries.subList(from, to), responses.subList(from, to), padId);
                try (NDManager m = models.policy().manager().newSubManager()) {
                    logp.addAll(List.of(qr.trimmed(qr.logProbs(models.policy(), m, (float) config.temperature()))));
                    refLogp.addAll(List.of(qr.trimmed(qr.logProbs(models.reference(), m, (float) config.temperature()))));
                    values.addAll(List.of(qr.trimmed(qr.values(models.value(), m))));
                }
            }
        }
        List<PpoAdvantages.Sequence> sequences = new ArrayList<>();
        List<Rollout> rollouts = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            RlPrompt p = pool.get(idx[i]);
            boolean finished = !"length".equals(gens.get(i).finishReason());
            int len = gens.get(i).tokens().length;
            double bonus = SymbolicRewards.lengthBonus(len, config.responseMaxTokens(),
                    config.lengthBonusMultiplier(p.questionType(), p.lengthBonus()), config.lengthBonusScale(),
                    config.lengthBonusCap());
            double penalty = SymbolicRewards.unfinishedPenalty(finished, config.unfinishedPenalty());
            Rollout r = new Rollout(step, idx[i], p.userTurn(), p.questionType(),
                    shown.get(i).stream().map(Principle::name).toList(), forReward(gens.get(i).text()), finished, len,
                    rmScores[i], bonus, penalty, 0);
            rollouts.add(r);
            sequences.add(new PpoAdvantages.Sequence(logp.get(i), refLogp.get(i), values.get(i), r.score()));
        }
        return new Batch(queries, responses, sequences, rollouts);
    }

    /** The response as the reference hands it to the reward model: cut at the first "###", stripped. */
    static String forReward(String response) {
        int cut = response.indexOf("###");
        return (cut < 0 ? response : response.substring(0, cut)).strip();
    }

    /** PPO epochs over the batch in shuffled minibatches; returns loss figures. */
    private Map<String, Double> optimise(Batch batch, List<PpoAdvantages.Targets> targets, SplitMixRandom rng,
                                         Optimizer policyOpt, Optimizer valueOpt) {
        int n = batch.sequences.size();
        double policyLoss = 0;
        double valueLoss = 0;
        int updates = 0;
        double lr = 0;
        for (int epoch = 0; epoch < config.ppoEpochs(); epoch++) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            rng.shuffle(order);
            for (int from = 0; from + config.stepBatchSize() <= n; from += config.stepBatchSize()) {
                int[] mb = java.util.Arrays.copyOfRange(order, from, from + config.stepBatchSize());
                int tokens = 0;
                for (int i : mb) {
                    tokens += batch.responses.get(i).length;
                }
                float denom = tokens;
                for (int m0 = 0; m0 < mb.length; m0 += config.microBatchSize()) {
                    int[] micro = java.util.Arrays.copyOfRange(mb, m0, Math.min(mb.length, m0 + config.microBatchSize()));
                    QueryResponseBatch qr = subBatch(batch, micro);
                    policyLoss += Gradients.backward(models.policy().manager(), m -> PpoLosses.policyLoss(
                            qr.logProbs(models.policy(), m, (float) config.temperature()),
                            padded(m, qr, micro, i -> batch.sequences.get(i).logp()),
                            padded(m, qr, micro, i -> toFloat(targets.get(i).advantages())),
                            qr.responseMask(m), (float) config.clipRange(), denom));
                    valueLoss += Gradients.backward(models.value().manager(), m -> PpoLosses.valueLoss(
                            qr.values(models.value(), m),
                            padded(m, qr, micro, i -> batch.sequences.get(i).values()),
                            padded(m, qr, micro, i -> toFloat(targets.get(i).returns())),
                            qr.responseMask(m), (float) config.valueClipRange(), denom)
                            .mul((float) config.valueCoef()));
                }
                lr = policyOpt.step().lr();
                valueOpt.step();
                updates++;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("policy_loss", updates == 0 ? 0 : policyLoss / updates);
        out.put("value_loss", updates == 0 ? 0 : valueLoss / updates);
        out.put("lr", lr);
        return out;
    }

    private QueryResponseBatch subBatch(Batch batch, int[] rows) {
        List<int[]> q = new ArrayList<>();
        List<int[]> r = new ArrayList<>();
        for (int i : rows) {
            q.add(batch.queries.get(i));
            r.add(batch.responses.get(i));
        }
        return new QueryResponseBatch(q, r, padId);
    }

    /** Per-row host values laid out as [B, R] (zeros in padding). */
    private static NDArray padded(NDManager m, QueryResponseBatch qr, int[] rows, java.util.function.IntFunction<float[]> row) {
        int r = qr.responseLength();
        float[] flat = new float[rows.length * r];
        for (int b = 0; b < rows.length; b++) {
            float[] v = row.apply(rows[b]);
            System.arraycopy(v, 0, flat, b * r, v.length);
        }
        return m.create(flat, new Shape(rows.length, r));
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Mean figures of a step's rollouts. */
    static Map<String, Double> summary(List<Rollout> rollouts) {
        double rm = 0;
        double score = 0;
        double kl = 0;
        double len = 0;
        double finished = 0;
        for (Rollout r : rollouts) {
            rm += r.rmScore();
            score += r.score();
            kl += r.klSum();
            len += r.responseTokens();
            finished += r.finished() ? 1 : 0;
        }
        int n = rollouts.size();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("rm_score", rm / n);
        out.put("score", score / n);
        out.put("kl", kl / n);
        out.put("response_tokens", len / n);
        out.put("finished_rate", finished / n);
        return out;
    }
}
