package salmonrun.activities.salmon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import salmonrun.activities.model.checkpoint.TrainingState;
import salmonrun.activities.model.train.AdamW;
import salmonrun.activities.model.train.Gradients;
import salmonrun.activities.model.train.LrSchedule;
import salmonrun.activities.model.train.Optimizer;
import salmonrun.activities.principles.Principle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains an {@link InstructableRewardModel} with the pairwise Bradley-Terry loss (reference P10): every pair is
 * shown with its sampled principles (negated ones by their negative definition), both outputs are scored at the
 * last token, and {@code BCEWithLogits(r2 - r1, output 2 preferred)} is minimised with AdamW. The pair order is a
 * pure function of the seed and step ({@link PromptSchedule}), so resuming from a checkpoint's step and optimizer
 * state reproduces the uninterrupted run. Lineage and artifacts are handled by {@link RewardModelPhase}.
 */
public final class RewardModelTrainer {
    private final InstructableRewardModel rm;
    private final RewardModelConfig config;
    private final Map<String, Principle> principles;

    /** @param labelling the principles the pairs name, looked up by name */
    public RewardModelTrainer(InstructableRewardModel rm, RewardModelConfig config, List<Principle> labelling) {
        this.rm = rm;
        this.config = config.validated();
        this.principles = new HashMap<>();
        for (Principle p : labelling) {
            principles.put(p.name(), p);
        }
    }

    /** One optimizer step's figures. */
    public record StepResult(int step, double loss, double batchAccuracy, double lr, double gradNorm) {
        public Map<String, Double> metrics() {
            return Map.of("loss", loss, "batch_accuracy", batchAccuracy, "lr", lr, "grad_norm", gradNorm);
        }
    }

    /** Called after every step with the state a checkpoint needs; may throw to stop training. */
    public interface StepListener {
        void afterStep(StepResult result, int totalSteps, TrainingState state);
    }

    /** The criterion lines of a pair. */
    public List<String> criteria(RmPair pair) {
        if (!pair.definitions().isEmpty()) {
            return pair.definitions();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pair.principles().size(); i++) {
            Principle p = principles.get(pair.principles().get(i));
            if (p == null) {
                throw new IllegalArgumentException("preference pair names principle '" + pair.principles().get(i)
                        + "', which is not in the labelling principle set (known: " + principles.keySet() + ")");
            }
            out.add(RewardModelPrompt.criterionText(p, pair.negated().get(i)));
        }
        return out;
    }

    /** Optimizer steps a training set gives under this config. */
    public int totalSteps(int trainPairs) {
        int all = new PromptSchedule(trainPairs, config.batchPairs(), config.epochs(), config.seed()).totalSteps();
        return config.maxSteps() > 0 ? Math.min(config.maxSteps(), all) : all;
    }

    /**
     * Trains from {@code resume} (null: from scratch) until the configured number of steps.
     *
     * @return the figures of the steps run now
     */
    public List<StepResult> train(List<RmPair> trainPairs, TrainingState resume, StepListener listener) {
        for (RmPair p : trainPairs) {
            criteria(p); // fail fast on unknown principles, before any compute
        }
        PromptSchedule schedule = new PromptSchedule(trainPairs.size(), config.batchPairs(), config.epochs(), config.seed());
        int total = totalSteps(trainPairs.size());
        int warmup = (int) Math.ceil(config.warmupRatio() * total);
        LrSchedule lr = schedule(config.schedule(), config.learningRate(), warmup, total);
        AdamW.Config adam = new AdamW.Config(0.9, 0.999, 1e-8, config.weightDecay());
        List<StepResult> results = new ArrayList<>();
        try (Optimizer opt = new Optimizer(rm.model().parameters(), adam, lr, config.maxGradNorm())) {
            int start = 0;
            if (resume != null) {
                opt.adamW().loadState(resume.optimizer(), resume.step());
                start = (int) resume.step();
            }
            for (int step = start; step < total; step++) {
                int[] idx = schedule.promptsForStep(step);
                double lossSum = 0;
                int right = 0;
                for (int from = 0; from < idx.length; from += config.microBatchPairs()) {
                    List<RmPair> micro = new ArrayList<>();
                    for (int i = from; i < Math.min(idx.length, from + config.microBatchPairs()); i++) {
                        micro.add(trainPairs.get(idx[i]));
                    }
                    float[][] rewards = new float[1][];
                    lossSum += Gradients.backward(rm.model().manager(), m -> {
                        NDArray[] r = pairRewards(m, micro);
                        rewards[0] = r[0].concat(r[1]).toFloatArray();
                        NDArray y = m.create(secondPreferred(micro));
                        return PpoLosses.bradleyTerry(r[0], r[1], y, config.batchPairs());
                    });
                    for (int i = 0; i < micro.size(); i++) {
                        float r1 = rewards[0][i];
                        float r2 = rewards[0][micro.size() + i];
                        if (micro.get(i).preferred() == 2 ? r2 > r1 : r1 > r2) {
                            right++;
                        }
                    }
                }
                Optimizer.StepInfo info = opt.step();
                StepResult result = new StepResult(step + 1, lossSum, (double) right / idx.length, info.lr(),
                        info.gradNorm());
                results.add(result);
                listener.afterStep(result, total, new TrainingState(step + 1, opt.adamW().stateTensors(),
                        Map.of("seed", Long.toString(config.seed()), "pairs_seen", Long.toString((long) (step + 1) * config.batchPairs()))));
            }
        }
        return results;
    }

    /** Warm-up then cosine decay to 0 at {@code total}, or constant after warm-up. */
    static LrSchedule schedule(String kind, double peak, long warmup, long total) {
        return "constant".equals(kind) ? new LrSchedule(peak, peak, warmup, Long.MAX_VALUE)
                : new LrSchedule(peak, 0, warmup, total);
    }

    /** Rewards of output 1 and output 2 of each pair, [n] each, in one forward pass of 2n sequences. */
    private NDArray[] pairRewards(NDManager m, List<RmPair> pairs) {
        List<int[]> seqs = new ArrayList<>();
        for (RmPair p : pairs) {
            seqs.add(rm.encode(new InstructableRewardModel.Input(p.output1(), p.instruction(), criteria(p))));
        }
        for (RmPair p : pairs) {
            seqs.add(rm.encode(new InstructableRewardModel.Input(p.output2(), p.instruction(), criteria(p))));
        }
        NDArray all = rm.rewards(m, seqs);                                 // [2n]
        int n = pairs.size();
        return new NDArray[] {all.get("0:" + n), all.get(n + ":")};
    }

    private static float[] secondPreferred(List<RmPair> pairs) {
        float[] y = new float[pairs.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = pairs.get(i).preferred() == 2 ? 1f : 0f;
        }
        return y;
    }

    /** Pairwise accuracy of the model on pairs, per deciding principle. */
    public PairwiseAccuracy evaluate(List<RmPair> pairs, int microBatch) {
        List<InstructableRewardModel.Input> inputs = new ArrayList<>();
        for (RmPair p : pairs) {
            List<String> c = criteria(p);
            inputs.add(new InstructableRewardModel.Input(p.output1(), p.instruction(), c));
            inputs.add(new InstructableRewardModel.Input(p.output2(), p.instruction(), c));
        }
        double[] r = rm.score(inputs, microBatch);
        PairwiseAccuracy acc = new PairwiseAccuracy();
        for (int i = 0; i < pairs.size(); i++) {
            acc.add(pairs.get(i), r[2 * i], r[2 * i + 1]);
        }
        return acc;
    }
}
