package salmonrun.worker.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.lineage.ExecutionKeys;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.TextTokenizer;
import salmonrun.activities.principles.DefaultPrinciples;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;
import salmonrun.activities.salmon.InstructableRewardModel;
import salmonrun.activities.salmon.PhaseContext;
import salmonrun.activities.salmon.RewardModelConfig;
import salmonrun.activities.salmon.RewardModelProbe;
import salmonrun.activities.salmon.RewardModelPrompt;
import salmonrun.activities.salmon.RewardModelTrainer;
import salmonrun.activities.salmon.RmPair;
import salmonrun.activities.sandbox.InstructionGenerator;
import salmonrun.activities.sandbox.LabellingTarget;
import salmonrun.activities.sandbox.ResponseWriter;
import salmonrun.activities.sandbox.Split;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * `salmon phases2 rm-rehearsal`: trains an instructable reward model from a base checkpoint directory on
 * grader-labelled sandbox pairs (oracle labels instead of the AI judge, half of them shown with the negated
 * principle), then probes it on held-out (test-split) instructions: per gradable labelling principle of the default
 * set, accuracy against the grader and the negation flip rate (ties count as wrong and as no flip). A rehearsal of the reward-model machinery, not the
 * full SALMON chain. Needs no database unless {@code --register} puts the RM into the lineage for {@code phases2 ppo}.
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
    @Option(names = "--max-shown", defaultValue = "6", description = "Most principles listed per training pair: the "
            + "deciding one plus others that tie on the pair or cannot be graded (6 = the RL-time prompt's 3 "
            + "interventions + 3 sampled; 1 = one principle per pair). The probe also lists each principle among "
            + "max-shown - 1 RL-time principles that cannot decide (accuracy_among_rl_principles).")
    int maxShown;
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
    @Option(names = "--register", description = "Also register base and reward model as `checkpoint` artifacts (RM with "
            + "role=reward-model, labels=oracle-grader, edge init -> base) in the lineage database, for `phases2 ppo`.")
    boolean register;
    @Option(names = "--from", description = "Skip training: probe (and with --register register) the reward model an "
            + "earlier rm-rehearsal saved with --out DIR from the same --base.")
    Path from;

    @Override
    public Integer call() {
        if (register) {
            // Open the database before training so an unreachable one fails in seconds, not after the run.
            return CliContext.run(spec, this::train);
        }
        try {
            return train(null);
        } catch (RuntimeException e) {
            return CliContext.fail(spec.commandLine().getErr(), e);
        }
    }

    private int train(CliContext cli) {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (!Files.isDirectory(base)) {
            throw new IllegalArgumentException("--base " + base + " is not a checkpoint directory");
        }
        if (maxShown < 1) {
            throw new IllegalArgumentException("--max-shown must be at least 1, got " + maxShown);
        }
        // Every principle the reward model will be shown (labelling for the dataset, rl and intervention at RL
        // time) is listed in training; those the grader can establish also decide pairs.
        List<Principle> shown = Stream.of(Role.LABELLING, Role.RL, Role.INTERVENTION)
                .flatMap(r -> DefaultPrinciples.principles().withRole(r).stream()).toList();
        List<Principle> rlTime = shown.stream().filter(p -> p.role() != Role.LABELLING).toList();
        List<Principle> principles = shown.stream()
                .filter(p -> LabellingTarget.of(p.name(), p.definition()).isPresent()).toList();
        InstructionGenerator gen = InstructionGenerator.standard();
        RewardModelProbe probe = new RewardModelProbe(ResponseWriter.standard());
        List<RmPair> train = probe.oraclePairs(principles, shown, gen.sample(Split.TRAIN, 600, seed), pairsPerPrinciple,
                maxShown, seed);
        RewardModelConfig config = RewardModelConfig.defaults().with(Map.ofEntries(Map.entry("learningRate", lr),
                Map.entry("batchPairs", batchPairs), Map.entry("microBatchPairs", Math.min(8, batchPairs)),
                Map.entry("maxSteps", steps), Map.entry("epochs", 1000), Map.entry("warmupRatio", 0.05),
                Map.entry("maxTokens", maxTokens), Map.entry("maxInstructionTokens", 64),
                Map.entry("maxResponseTokens", maxTokens / 2), Map.entry("heldOutFraction", 0.0), Map.entry("seed", seed)));
        long start = System.nanoTime();
        if (from != null && !Files.isDirectory(from)) {
            throw new IllegalArgumentException("--from " + from + " is not a checkpoint directory");
        }
        Path modelDir = from != null ? from : base;
        try (TextTokenizer tok = Checkpoint.loadTokenizer(modelDir);
             ScalarHeadModel model = Checkpoint.loadScalarHead(modelDir, Device.cpu())) {
            InstructableRewardModel rm = new InstructableRewardModel(model, tok, config.limits());
            if (from == null) {
                InstructableRewardModel.initialiseHeadIfAbsent(base, model, seed);
                err.println("training on " + train.size() + " grader-labelled pairs, " + principles.size() + " principles");
                err.flush();
                new RewardModelTrainer(rm, config, principles).train(train, null, (r, total, s) -> {
                    if (r.step() % 10 == 0 || r.step() == total) {
                        err.printf("step %d/%d loss %.4f batch_acc %.3f lr %.2e%n", r.step(), total, r.loss(),
                                r.batchAccuracy(), r.lr());
                        err.flush();
                    }
                });
            }
            err.println("probing on held-out (test split) instructions ...");
            err.flush();
            List<RewardModelProbe.Result> after = probe.run(rm, principles, rlTime, maxShown - 1,
                    gen.sample(Split.TEST, 300, seed + 1), evalPairs, seed + 2, 16);
            if (out != null) {
                Checkpoint.save(out, model, tok.file(), null);
            }
            ObjectNode report = CliContext.JSON.createObjectNode().put("base", base.toString());
            if (from != null) {
                report.put("from", from.toString());
            } else {
                report.put("train_pairs", train.size()).put("steps", steps).put("batch_pairs", batchPairs);
            }
            report.put("seconds", Math.round((System.nanoTime() - start) / 1e9));
            ArrayNode rows = report.putArray("principles");
            for (int i = 0; i < after.size(); i++) {
                RewardModelProbe.Result a = after.get(i);
                rows.addObject().put("principle", a.principle()).put("role", principles.get(i).role().dbName())
                        .put("target", a.target()).put("pairs", a.pairs())
                        .put("accuracy", a.accuracy()).put("flip_rate", a.flipRate())
                        .put("accuracy_among_rl_principles", a.accuracyInCrowd());
            }
            if (cli != null) {
                Path dir = from != null ? from : out;
                Path scratch = null;
                if (dir == null) {
                    scratch = Files.createTempDirectory("salmon-rm-");
                    dir = scratch.resolve("checkpoint");
                    Checkpoint.save(dir, model, tok.file(), null);
                }
                try {
                    registerArtifacts(cli, dir, report);
                } finally {
                    if (scratch != null) {
                        deleteTree(scratch);
                    }
                }
            }
            CliContext.printJson(stdout, report);
            return CliContext.OK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Registers the base directory and the trained RM directory as {@code checkpoint} artifacts of one phase
     * execution; the RM's metadata says its labels came from the sandbox grader, not from the AI judge, so the
     * lineage never passes it off as a SALMON reward model. Adds the ids to {@code report}.
     */
    private void registerArtifacts(CliContext cli, Path rmDir, ObjectNode report) throws IOException {
        ObjectNode config = CliContext.JSON.createObjectNode().put("steps", steps).put("batch_pairs", batchPairs)
                .put("pairs_per_principle", pairsPerPrinciple).put("max_shown", maxShown).put("lr", lr)
                .put("max_tokens", maxTokens).put("seed", seed);
        PhaseExecution e = cli.lineage().startExecution(new ExecutionStart(null, "rm-rehearsal",
                "cli-rm-rehearsal-" + UUID.randomUUID(), ExecutionKeys.of("rm-rehearsal", "phases2-cli", config,
                List.of(), null), "cli@" + InetAddress.getLocalHost().getHostName(), null, null, config));
        try {
            PhaseContext ctx = new PhaseContext(cli.lineage(), cli.store(), e.id(), null, p -> { });
            long baseId = ctx.registerDirectory("checkpoint", base,
                    CliContext.JSON.createObjectNode().put("source", base.toString()), List.of()).id();
            ObjectNode meta = CliContext.JSON.createObjectNode().put("role", "reward-model")
                    .put("labels", "oracle-grader")
                    .put("note", "trained by rm-rehearsal on sandbox-grader-labelled pairs, not on AI-judge preferences")
                    .put("final", true);
            if (from != null) {
                // Trained by an earlier invocation: what was trained how is that run's record, not this one's flags.
                meta.put("source", from.toString()).put("note", "loaded from a directory an earlier rm-rehearsal "
                        + "saved with --out (sandbox-grader-labelled pairs, not AI-judge preferences)");
            } else {
                meta.put("step", steps).set("config", config);
            }
            meta.set("probe", report.get("principles"));
            long rmId = ctx.registerDirectory("checkpoint", rmDir, meta, List.of(new ArtifactEdge(baseId, "init")))
                    .id();
            report.put("base_artifact_id", baseId).put("reward_model_artifact_id", rmId);
            cli.lineage().completeExecution(e.id(), Map.of(), report.deepCopy());
        } catch (RuntimeException ex) {
            cli.lineage().failExecution(e.id(), String.valueOf(ex.getMessage()));
            throw ex;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
