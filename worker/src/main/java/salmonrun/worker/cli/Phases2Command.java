package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import salmonrun.activities.lineage.ExecutionKeys;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.salmon.ChatFormat;
import salmonrun.activities.salmon.EvaluationPhase;
import salmonrun.activities.salmon.PhaseContext;
import salmonrun.activities.salmon.PpoConfig;
import salmonrun.activities.salmon.PpoPhase;
import salmonrun.activities.salmon.RescoringPhase;
import salmonrun.activities.salmon.RewardModelConfig;
import salmonrun.activities.salmon.RewardModelPhase;
import salmonrun.activities.sandbox.InstructionGenerator;
import salmonrun.activities.sandbox.Split;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * `salmon phases2 ...`: run the second half of SALMON (reward model, PPO, evaluation, comparison, re-scoring) on
 * existing artifacts, outside a workflow, each as a phase execution with lineage. Progress goes to stderr; the
 * result is printed as JSON.
 */
@Command(name = "phases2", mixinStandardHelpOptions = true,
        description = "SALMON phases II on existing artifacts: reward-model, ppo, evaluate, compare, rescore; rm-rehearsal.",
        subcommands = {Phases2Command.RewardModel.class, Phases2Command.Ppo.class, Phases2Command.Evaluate.class,
                Phases2Command.Compare.class, Phases2Command.Rescore.class, RmRehearsalCommand.class})
public final class Phases2Command implements Runnable {
    static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Shared plumbing: a phase execution outside any run, progress to stderr, JSON result to stdout. */
    abstract static class Sub implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract String phase();

        abstract Object execute(CliContext cli, PhaseContext ctx) throws Exception;

        /** Config JSON recorded on the execution. */
        JsonNode config() {
            return JSON.createObjectNode();
        }

        @Override
        public Integer call() {
            return CliContext.run(spec, cli -> {
                PrintWriter err = spec.commandLine().getErr();
                JsonNode config = config();
                PhaseExecution e = cli.lineage().startExecution(new ExecutionStart(null, phase(),
                        "cli-" + phase() + "-" + UUID.randomUUID(),
                        ExecutionKeys.of(phase(), "phases2-cli", config, List.of(), null),
                        "cli@" + java.net.InetAddress.getLocalHost().getHostName(), null, null, config));
                PhaseContext ctx = new PhaseContext(cli.lineage(), cli.store(), e.id(), null, p -> {
                    err.println(p.stage() + " " + p.step() + "/" + p.total() + " " + p.metrics());
                    err.flush();
                });
                try {
                    Object result = execute(cli, ctx);
                    cli.lineage().completeExecution(e.id(), Map.of(), JSON.valueToTree(result));
                    CliContext.printJson(spec.commandLine().getOut(), result);
                    return CliContext.OK;
                } catch (RuntimeException ex) {
                    cli.lineage().failExecution(e.id(), String.valueOf(ex.getMessage()));
                    throw ex;
                }
            });
        }

        static PrincipleSet principles(CliContext cli, String ref) {
            PrincipleRepository repo = new PrincipleRepository(cli.db());
            long id = repo.resolve(ref).orElseThrow(() ->
                    new IllegalArgumentException("no principle set '" + ref + "' (see `salmon principles list`)"));
            return repo.find(id).orElseThrow();
        }

        /** Chat format 1 with {@code system} as its system prompt, or the default format when null. */
        static ChatFormat chatFormat(String system) {
            return system == null ? ChatFormat.standard()
                    : new ChatFormat(ChatFormat.DEFAULT_ASSISTANT, system, system);
        }

        private JsonNode configFile;

        /**
         * The --config file's JSON, read once per command so that the execution record and the phase see the same
         * content; null without --config.
         */
        JsonNode readConfig(Path file) {
            if (file == null || configFile != null) {
                return configFile;
            }
            try {
                configFile = JSON.readTree(Files.readString(file));
                return configFile;
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "reward-model", mixinStandardHelpOptions = true,
            description = "Train the instructable reward model from a base checkpoint on a preference dataset.")
    static final class RewardModel extends Sub {
        @Option(names = "--base", required = true, description = "Base checkpoint artifact id.")
        long base;
        @Option(names = "--preferences", required = true, description = "preference-dataset artifact id.")
        long preferences;
        @Option(names = "--principles", description = "Labelling principle set (id or hash prefix) when the dataset lacks definitions.")
        String principles;
        @Option(names = "--config", description = "JSON overrides of RewardModelConfig (reference defaults otherwise).")
        Path config;
        @Option(names = "--ci", description = "Start from the ci preset instead of the reference settings.")
        boolean ci;

        @Override
        String phase() {
            return "reward-model";
        }

        @Override
        JsonNode config() {
            JsonNode c = readConfig(config);
            return c == null ? JSON.createObjectNode() : c;
        }

        @Override
        Object execute(CliContext cli, PhaseContext ctx) {
            RewardModelConfig c = ci ? RewardModelConfig.ci() : RewardModelConfig.defaults();
            JsonNode overrides = readConfig(config);
            if (overrides != null) {
                c = c.with(JSON.convertValue(overrides, Map.class));
            }
            return RewardModelPhase.run(ctx, base, preferences,
                    principles == null ? List.of() : principles(cli, principles).principles(), c);
        }
    }

    @Command(name = "ppo", mixinStandardHelpOptions = true,
            description = "PPO of an SFT policy against an instructable reward model with RL-time principles.")
    static final class Ppo extends Sub {
        @Option(names = "--sft", required = true, description = "SFT checkpoint artifact id (policy and reference).")
        long sft;
        @Option(names = "--reward-model", required = true, description = "Reward-model checkpoint artifact id.")
        long rewardModel;
        @Option(names = "--prompts", required = true, description = "prompt-pool artifact id.")
        long prompts;
        @Option(names = "--principles", required = true, description = "Principle set with RL and intervention principles.")
        String principles;
        @Option(names = "--config", description = "JSON overrides of PpoConfig (reference defaults otherwise).")
        Path config;
        @Option(names = "--ci", description = "Start from the ci preset instead of the reference settings.")
        boolean ci;
        @Option(names = "--system-prompt", description = "System prompt of the policy query (default: the chat format's "
                + "concise one); use the one the SFT model was engraved with.")
        String systemPrompt;

        @Override
        String phase() {
            return "ppo";
        }

        @Override
        JsonNode config() {
            JsonNode c = readConfig(config);
            ObjectNode o = c == null ? JSON.createObjectNode() : (ObjectNode) c.deepCopy();
            if (systemPrompt != null) {
                o.put("system_prompt", systemPrompt);
            }
            return o;
        }

        @Override
        Object execute(CliContext cli, PhaseContext ctx) {
            PpoConfig c = ci ? PpoConfig.ci() : PpoConfig.defaults();
            JsonNode overrides = readConfig(config);
            if (overrides != null) {
                c = c.with(JSON.convertValue(overrides, Map.class));
            }
            return PpoPhase.run(ctx, new PpoPhase.Inputs(sft, rewardModel, prompts, principles(cli, principles),
                    PpoPhase.chatQuery(chatFormat(systemPrompt))), c);
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Evaluate a checkpoint on sandbox instructions: lengths, KL, RM score, grader rates and composite.")
    static final class Evaluate extends Sub {
        @Option(names = "--model", required = true, description = "Checkpoint artifact id to evaluate.")
        long model;
        @Option(names = "--reference", description = "Checkpoint artifact id for the KL estimate.")
        Long reference;
        @Option(names = "--reward-model", description = "Reward-model checkpoint artifact id for scores.")
        Long rewardModel;
        @Option(names = "--principles", description = "Principle set the reward model is given.")
        String principles;
        @Option(names = "--split", defaultValue = "test", description = "Sandbox split: train, validation or test (default test).")
        String split;
        @Option(names = "-n", defaultValue = "64", description = "Instructions (default 64).")
        int n;
        @Option(names = "--max-new-tokens", defaultValue = "96")
        int maxNewTokens;
        @Option(names = "--temperature", defaultValue = "0.7")
        double temperature;
        @Option(names = "--seed", defaultValue = "1234")
        long seed;
        @Option(names = "--system-prompt", description = "System prompt of the chat prompt (default: the chat format's concise one).")
        String systemPrompt;

        @Override
        String phase() {
            return "evaluate";
        }

        @Override
        JsonNode config() {
            ObjectNode o = JSON.createObjectNode().put("split", split).put("n", n).put("seed", seed);
            if (systemPrompt != null) {
                o.put("system_prompt", systemPrompt);
            }
            return o;
        }

        @Override
        Object execute(CliContext cli, PhaseContext ctx) {
            if (rewardModel != null && principles == null) {
                throw new IllegalArgumentException("--reward-model needs --principles (what the reward model is told)");
            }
            var items = InstructionGenerator.standard().sample(Split.parse(split), n, seed).stream()
                    .map(EvaluationPhase.Item::of).toList();
            var s = new EvaluationPhase.Settings(maxNewTokens, temperature, seed, 8, 3, PpoConfig.defaults().rewardLimits());
            var r = EvaluationPhase.evaluate(ctx, model, reference, rewardModel,
                    principles == null ? null : principles(cli, principles), chatFormat(systemPrompt), items, s);
            ObjectNode out = JSON.createObjectNode().put("evaluation_artifact_id", r.evaluationArtifactId());
            out.set("report", JSON.valueToTree(r.report()));
            return out;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Side-by-side win rate of two evaluations under the sandbox grader.")
    static final class Compare extends Sub {
        @Parameters(index = "0", description = "Evaluation artifact id A.")
        long a;
        @Parameters(index = "1", description = "Evaluation artifact id B.")
        long b;

        @Override
        String phase() {
            return "compare";
        }

        @Override
        Object execute(CliContext cli, PhaseContext ctx) {
            return EvaluationPhase.compare(ctx, a, b);
        }
    }

    @Command(name = "rescore", mixinStandardHelpOptions = true,
            description = "Re-score stored rollouts or evaluation answers under another principle set, without generating.")
    static final class Rescore extends Sub {
        @Option(names = "--reward-model", required = true)
        long rewardModel;
        @Option(names = "--source", required = true, description = "rollouts or evaluation artifact id.")
        long source;
        @Option(names = "--principles", required = true)
        String principles;
        @Option(names = "-k", defaultValue = "3", description = "RL principles sampled per response after the intervention ones.")
        int k;
        @Option(names = "--seed", defaultValue = "1234")
        long seed;

        @Override
        String phase() {
            return "rescore";
        }

        @Override
        Object execute(CliContext cli, PhaseContext ctx) {
            var r = RescoringPhase.run(ctx, rewardModel, source, principles(cli, principles), k, seed,
                    PpoConfig.defaults().rewardLimits(), 8);
            ObjectNode out = JSON.createObjectNode().put("rescoring_artifact_id", r.artifactId()).put("n", r.n())
                    .put("mean_new", r.meanNew());
            if (!Double.isNaN(r.meanOld())) {
                out.put("mean_old", r.meanOld());
            }
            return out;
        }
    }
}
