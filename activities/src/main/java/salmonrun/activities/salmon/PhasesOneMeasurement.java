package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.ExecutionKeys;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;
import salmonrun.activities.sandbox.Instruction;
import salmonrun.activities.sandbox.InstructionGenerator;
import salmonrun.activities.sandbox.LabellingTarget;
import salmonrun.activities.sandbox.SandboxGraderVerdict;
import salmonrun.activities.sandbox.SandboxEval;
import salmonrun.activities.sandbox.SandboxFormats;
import salmonrun.activities.sandbox.SelfAlignContext;
import salmonrun.activities.sandbox.Split;

/**
 * Measures the phases-I claims on the sandbox, running the real phases over the lineage store:
 * (1) the engraved model without rules keeps at least 80% of the composite gain that rules in context give
 * the base model on the test split; (2) judge labels that survive the order swap agree with the grader on at
 * least 80% of decisive pairs for every labelling principle the grader can establish; (3) rebuilding the
 * preference dataset gives the same sha256.
 */
public final class PhasesOneMeasurement {
    /** Stamped into execution keys of the measurement's phase executions. */
    public static final String CODE_VERSION = "phases1-measure/1";

    /** What to run; {@link #forContext} gives settings sized for a 512-token sandbox model. */
    public record Settings(int poolSize, int testSize, int pairPrompts, long seed, SelfAlignGenerationPhase.Config generate,
            SelfAlignFilterPhase.Config filter, EngravingPhase.Config engrave, ResponsePairsPhase.Config pairs,
            JudgingPhase.Config judge, AggregationConfig aggregate, boolean judgeWithBase, SandboxEval.Settings eval,
            int minGraderPairs) {

        /** Defaults: the eval's token limits, reference sampling, the concise system prompt of the sandbox eval. */
        public static Settings forContext(int poolSize, int testSize, int pairPrompts, double epochs, long seed) {
            SandboxEval.Settings eval = SandboxEval.Settings.defaults();
            int maxNew = eval.maxThoughtTokens() + eval.maxAnswerTokens();
            List<String> system = List.of(SandboxEval.SYSTEM_PROMPT, SandboxEval.SYSTEM_PROMPT);
            return new Settings(poolSize, testSize, pairPrompts, seed,
                    new SelfAlignGenerationPhase.Config(ChatFormat.DEFAULT_ASSISTANT, 17, 2, 32, maxNew, 0.7, 0.95, 16, 1,
                            seed),
                    SelfAlignFilterPhase.Config.defaults(),
                    new EngravingPhase.Config(ChatFormat.DEFAULT_ASSISTANT, system, epochs, 8, 1, 512, 1e-3, 50, seed),
                    new ResponsePairsPhase.Config(ChatFormat.DEFAULT_ASSISTANT, system, eval.maxAnswerTokens(), 0.7, 1.0,
                            42, 43, 16, 42, 16),
                    new JudgingPhase.Config(ChatFormat.DEFAULT_ASSISTANT, List.of(), 16, 2),
                    AggregationConfig.reference(), false, eval, 10);
        }
    }

    /** One labelling principle's judge figures against the grader. */
    public record PrincipleFigure(String principle, boolean gradable, int judged, double decisiveRate,
            int graderPairs, double graderAgreement, double meanRuleAgreement, List<String> flags, boolean meetsTarget) {}

    /**
     * The measured figures; {@code artifacts} maps each phase to the artifact it produced (SFT = engrave).
     * {@code aggregationError} is null unless aggregation rejected its input (typically a judge that decides no pair,
     * so nothing is left to label): the report then still carries the engraving figures and artifacts, with no judge
     * figures and no dataset.
     */
    public record Report(String baseSha256, double baseComposite, double selfAlignComposite, double engravedComposite,
            double gainKept, boolean gainTargetMet, JsonNode filter, long sftSteps, int pairs,
            List<PrincipleFigure> judge, boolean judgeTargetMet, String datasetSha256, String rebuildSha256,
            boolean rebuildIdentical, Map<String, Double> seconds, Map<String, Long> artifacts,
            String aggregationError) {}

    private PhasesOneMeasurement() {}

    /** Runs everything for a base checkpoint directory; {@code log} receives one line per step. */
    public static Report run(LineageRepository lineage, ArtifactStore store, Path baseDir, PrincipleSet principles,
            ExemplarSet exemplars, Settings s, Consumer<String> log) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long runId = lineage.upsertRun("phases1-measure-" + UUID.randomUUID(), JsonNodeFactory.instance.objectNode()
                .put("purpose", "phases-I measurement").put("seed", s.seed()), "phases1-measure");
        Map<String, Long> artifacts = new LinkedHashMap<>();
        Steps steps = new Steps(lineage, store, runId, seconds, log, new java.util.HashMap<>(), artifacts);

        PhaseContext imp = steps.start("import-base");
        long base = imp.registerDirectory(ModelCheckpoints.KIND, baseDir,
                JsonNodeFactory.instance.objectNode().put("source", baseDir.toString()), List.of()).id();
        String baseSha = lineage.artifact(base).sha256();
        steps.done(imp, "base", base);

        InstructionGenerator gen = InstructionGenerator.standard();
        List<Instruction> train = gen.sample(Split.TRAIN, s.poolSize(), s.seed());
        List<Instruction> test = gen.sample(Split.TEST, s.testSize(), s.seed() + 1);
        List<Instruction> pairSource = gen.sample(Split.VALIDATION, s.pairPrompts(), s.seed() + 2);

        PhaseContext c = steps.start("prompt-pool");
        long pool = PromptPoolPhase.run(c, PromptPoolPhase.Config.reference(), List.of(),
                List.of(new PromptPoolPhase.Source("sandbox-train", prompts(train))), base).artifactId();
        steps.done(c, "pool", pool);

        c = steps.start("self-align-generate");
        List<Long> shards = SelfAlignGenerationPhase.run(c, s.generate(), pool, base, principles, exemplars);
        steps.done(c, "shard0", shards.get(0));

        c = steps.start("self-align-filter");
        var filtered = SelfAlignFilterPhase.run(c, s.filter(), pool, shards, exemplars);
        steps.done(c, "data", filtered.artifactId());
        JsonNode filterMeta = lineage.artifact(filtered.artifactId()).metadata();
        log.accept("filter kept " + filtered.kept() + " of " + filtered.seen() + ": " + filtered.drops());

        c = steps.start("engrave");
        var sft = EngravingPhase.run(c, s.engrave(), filtered.artifactId(), base);
        steps.done(c, "checkpoint", sft.checkpointArtifactId());
        Path sftDir = store.resolve(lineage.artifact(sft.checkpointArtifactId()).sha256());

        SandboxEval eval = new SandboxEval();
        double baseScore;
        double ruleScore;
        double sftScore;
        long t0 = System.nanoTime();
        try (CheckpointSandboxModel bm = CheckpointSandboxModel.open(baseDir, 16)) {
            int budget = bm.contextLength() - s.generate().maxNewTokens() - s.generate().instructionReserve();
            SelfAlignPrompt sap = SelfAlignPrompt.fit(s.generate().assistant(), principles.withRole(Role.SELF_ALIGN),
                    exemplars.exemplars(), s.generate().maxRules(), s.generate().maxExemplars(), budget, bm::countTokens);
            baseScore = eval.base(bm, test, "test", s.eval()).composite();
            ruleScore = eval.selfAlign(bm, sandboxContext(sap), test, "test", s.eval()).composite();
        }
        try (CheckpointSandboxModel sm = CheckpointSandboxModel.open(sftDir, 16)) {
            sftScore = eval.base(sm, test, "test", s.eval()).composite();
        }
        seconds.put("eval", (System.nanoTime() - t0) / 1e9);
        double gain = ruleScore - baseScore;
        double kept = gain <= 0 ? Double.NaN : (sftScore - baseScore) / gain;
        log.accept("composite on test: base " + baseScore + ", rules in context " + ruleScore + ", engraved " + sftScore
                + " -> gain kept " + kept);

        c = steps.start("pair-prompts");
        long pairPool = PromptPoolPhase.run(c, PromptPoolPhase.Config.reference(), List.of(),
                List.of(new PromptPoolPhase.Source("sandbox-validation", prompts(pairSource))), base).artifactId();
        steps.done(c, "pool", pairPool);
        c = steps.start("response-pairs");
        var pairs = ResponsePairsPhase.run(c, s.pairs(), pairPool, sft.checkpointArtifactId());
        steps.done(c, "pairs", pairs.artifactId());
        c = steps.start("judge");
        long judgeModel = s.judgeWithBase() ? base : sft.checkpointArtifactId();
        List<Long> judgements = JudgingPhase.run(c, s.judge(), pairs.artifactId(), judgeModel, principles);
        steps.done(c, "shard0", judgements.get(0));

        SandboxGraderVerdict grader = new SandboxGraderVerdict(pairSource);
        c = steps.start("aggregate");
        AggregationPhase.Result ds;
        try {
            ds = AggregationPhase.run(c, s.aggregate(), pairs.artifactId(), judgements, principles, grader);
        } catch (IllegalArgumentException e) {
            // Phases reject inputs they cannot work with by IllegalArgumentException (Failures.BAD_INPUT_TYPES); the
            // engraving figures above are still worth reporting, and the bench needs the SFT artifact ids.
            steps.failed(c, e.getMessage());
            return new Report(baseSha, baseScore, ruleScore, sftScore, kept, kept >= 0.8, filterMeta, sft.steps(),
                    pairs.pairs(), List.of(), false, null, null, false, seconds, artifacts, e.getMessage());
        }
        steps.done(c, "dataset", ds.artifactId());
        c = steps.start("aggregate-rebuild");
        var again = AggregationPhase.run(c, s.aggregate(), pairs.artifactId(), judgements, principles, grader);
        steps.done(c, "dataset", again.artifactId());

        List<PrincipleFigure> figures = new ArrayList<>();
        boolean judgeOk = true;
        int gradableMeasured = 0;
        for (Principle p : PreferenceAggregator.dimensions(principles, s.aggregate())) {
            PrincipleStatistics st = ds.statistics().get(p.name());
            boolean gradable = LabellingTarget.of(p.name(), p.definition()).isPresent();
            boolean measured = gradable && st.graderPairs() >= s.minGraderPairs();
            boolean meets = measured && st.graderAgreement() >= 0.8;
            if (measured) {
                gradableMeasured++;
                judgeOk &= meets;
            }
            figures.add(new PrincipleFigure(p.name(), gradable, st.judged(), st.output1Rate() + st.output2Rate(),
                    st.graderPairs(), st.graderAgreement(), st.meanRuleGraderAgreement(), st.flags(), meets));
            log.accept(String.format("judge %-22s decisive %.2f  grader pairs %3d  agreement %.3f  mean-rule %.3f %s",
                    p.name(), st.output1Rate() + st.output2Rate(), st.graderPairs(), st.graderAgreement(),
                    st.meanRuleGraderAgreement(), st.flags()));
        }
        return new Report(baseSha, baseScore, ruleScore, sftScore, kept, kept >= 0.8, filterMeta, sft.steps(),
                pairs.pairs(), figures, judgeOk && gradableMeasured > 0, ds.sha256(), again.sha256(),
                ds.sha256().equals(again.sha256()), seconds, artifacts, null);
    }

    static List<Prompt> prompts(List<Instruction> instructions) {
        return instructions.stream().map(i -> Prompt.of(i.text())).toList();
    }

    /** The sandbox eval's view of a fitted self-align prompt (both render the same bytes). */
    static SelfAlignContext sandboxContext(SelfAlignPrompt p) {
        List<SandboxFormats.RuleLine> rules = p.rules().stream()
                .map(r -> new SandboxFormats.RuleLine(r.name(), r.definition().strip())).toList();
        List<SandboxFormats.Example> ex = new ArrayList<>();
        for (Exemplar e : p.exemplars()) {
            String thoughts = e.internalThoughts().strip();
            if (!thoughts.startsWith(SelfAlignPrompt.THOUGHTS_PREFIX)) {
                thoughts = SelfAlignPrompt.THOUGHTS_PREFIX + " " + thoughts;
            }
            ex.add(new SandboxFormats.Example(e.instruction().strip(), thoughts, e.response().strip()));
        }
        return new SelfAlignContext(rules, ex);
    }

    /** Phase executions of the measurement run, timed. */
    private record Steps(LineageRepository lineage, ArtifactStore store, long runId, Map<String, Double> seconds,
            Consumer<String> log, Map<Long, Long> started, Map<String, Long> artifacts) {

        PhaseContext start(String phase) {
            log.accept("phase " + phase + " ...");
            long id = lineage.startExecution(new ExecutionStart(runId, phase, phase + "-" + UUID.randomUUID(),
                    ExecutionKeys.of(phase, CODE_VERSION, null, List.of(), null), "phases1-measure", null, null,
                    JsonNodeFactory.instance.objectNode())).id();
            started.put(id, System.nanoTime());
            return new PhaseContext(lineage, store, id, runId, p -> { });
        }

        void failed(PhaseContext c, String error) {
            lineage.failExecution(c.executionId(), error);
            log.accept("phase " + phase(c) + " failed: " + error);
        }

        private String phase(PhaseContext c) {
            return lineage.execution(c.executionId()).execution().phase();
        }

        void done(PhaseContext c, String output, long artifactId) {
            double s = (System.nanoTime() - started.get(c.executionId())) / 1e9;
            ObjectNode metrics = JsonNodeFactory.instance.objectNode().put("seconds", s);
            lineage.completeExecution(c.executionId(), Map.of(output, artifactId), metrics);
            String phase = phase(c);
            seconds.merge(phase, s, Double::sum);
            artifacts.put(phase, artifactId);
            log.accept(String.format("phase %s done in %.1f s (artifact %d)", phase, s, artifactId));
        }
    }
}
