package salmonrun.worker.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.TextTokenizer;
import salmonrun.activities.principles.DefaultPrinciples;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;
import salmonrun.activities.salmon.InstructableRewardModel;
import salmonrun.activities.salmon.RewardModelConfig;
import salmonrun.activities.salmon.RewardModelProbe;
import salmonrun.activities.salmon.RewardModelPrompt;
import salmonrun.activities.salmon.RewardModelTrainer;
import salmonrun.activities.salmon.RmPair;
import salmonrun.activities.sandbox.InstructionGenerator;
import salmonrun.activities.sandbox.LabellingTarget;
import salmonrun.activities.sandbox.ResponseWriter;
import salmonrun.activities.sandbox.Split;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `salmon phases2 rm-rehearsal`: trains an instructable reward model from a base checkpoint directory on
 * grader-labelled sandbox pairs (oracle labels instead of the AI judge, half of them shown with the negated
 * principle), then probes it on held-out (test-split) instructions: per gradable labelling principle of the default
 * set, accuracy against the grader and the negation flip rate (ties count as wrong and as no flip). A rehearsal of the reward-model machinery, not the
 * full SALMON chain. Needs no database.
 */
@Command(name = "rm-rehearsal", mixinStandardHelpOptions = true,
        description = "Train a reward model on grader-labelled sandbox pairs and report per-principle accuracy and negation flips.")
final class RmRehearsalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--base", required = true, description = "Base checkpoint directory (config.json, model.safetensors, tokenizer.json).")
    Path base;
    @Option(names = "--pairs-per-principle", defaultValue = "200")
    int pairsPerPrinciple;
    @Option(names = "--eval-pairs", defaultValue = "60", description = "Held-out pairs per principle for the probe.")
    int evalPairs;
    @Option(names = "--steps", defaultValue = "200")
    int steps;
    @Option(names = "--batch-pairs", defaultValue = "16")
    int batchPairs;
    @Option(names = "--lr", defaultValue = "1e-3")
    double lr;
    @Option(names = "--max-tokens", defaultValue = "384")
    int maxTokens;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--out", description = "Save the trained reward model checkpoint here.")
    Path out;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        List<Principle> principles = DefaultPrinciples.principles().withRole(Role.LABELLING).stream()
                .filter(p -> LabellingTarget.of(p.name(), p.definition()).isPresent()).toList();
        InstructionGenerator gen = InstructionGenerator.standard();
        RewardModelProbe probe = new RewardModelProbe(ResponseWriter.standard());
        List<RmPair> train = probe.oraclePairs(principles, gen.sample(Split.TRAIN, 600, seed), pairsPerPrinciple, seed);
        RewardModelConfig config = RewardModelConfig.defaults().with(Map.ofEntries(Map.entry("learningRate", lr),
                Map.entry("batchPairs", batchPairs), Map.entry("microBatchPairs", Math.min(8, batchPairs)),
                Map.entry("maxSteps", steps), Map.entry("epochs", 1000), Map.entry("warmupRatio", 0.05),
                Map.entry("maxTokens", maxTokens), Map.entry("maxInstructionTokens", 64),
                Map.entry("maxResponseTokens", maxTokens / 2), Map.entry("heldOutFraction", 0.0), Map.entry("seed", seed)));
        long start = System.nanoTime();
        try (TextTokenizer tok = Checkpoint.loadTokenizer(base);
             ScalarHeadModel model = Checkpoint.loadScalarHead(base, Device.cpu())) {
            InstructableRewardModel rm = new InstructableRewardModel(model, tok, config.limits());
            // no "before" probe: a fresh zero head scores every answer alike, so accuracy and flips start at 0
            err.println("training on " + train.size() + " grader-labelled pairs, " + principles.size() + " principles");
            err.flush();
            new RewardModelTrainer(rm, config, principles).train(train, null, (r, total, s) -> {
                if (r.step() % 10 == 0 || r.step() == total) {
                    err.printf("step %d/%d loss %.4f batch_acc %.3f lr %.2e%n", r.step(), total, r.loss(),
                            r.batchAccuracy(), r.lr());
                    err.flush();
                }
            });
            err.println("probing on held-out (test split) instructions ...");
            err.flush();
            List<RewardModelProbe.Result> after = probe.run(rm, principles, gen.sample(Split.TEST, 300, seed + 1),
                    evalPairs, seed + 2, 16);
            if (out != null) {
                Checkpoint.save(out, model, tok.file(), null);
            }
            ObjectNode report = CliContext.JSON.createObjectNode().put("base", base.toString())
                    .put("train_pairs", train.size()).put("steps", steps).put("batch_pairs", batchPairs)
                    .put("seconds", Math.round((System.nanoTime() - start) / 1e9));
            ArrayNode rows = report.putArray("principles");
            for (int i = 0; i < after.size(); i++) {
                RewardModelProbe.Result a = after.get(i);
                rows.addObject().put("principle", a.principle()).put("target", a.target()).put("pairs", a.pairs())
                        .put("accuracy", a.accuracy()).put("flip_rate", a.flipRate());
            }
            CliContext.printJson(stdout, report);
            return CliContext.OK;
        } catch (RuntimeException e) {
            return CliContext.fail(err, e);
        }
    }
}
