package salmonrun.worker.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import salmonrun.activities.common.ActivityServices;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.lineage.ExecutionKeys;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.lineage.NewArtifact;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.ExemplarRepository;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;
import salmonrun.activities.sandbox.EngineSandboxModel;
import salmonrun.activities.sandbox.Instruction;
import salmonrun.activities.sandbox.InstructionGenerator;
import salmonrun.activities.sandbox.SandboxEval;
import salmonrun.activities.sandbox.SelfAlignContext;
import salmonrun.activities.sandbox.Split;

/**
 * "Base with principles in context": the base model answering the held-out instructions with the self-align rules
 * and exemplars in its prompt (the sandbox's {@link SandboxEval#selfAlign}), graded by the sandbox grader. The Eval
 * phase has no such mode (it samples every model with the plain chat prompt), so the demo runs this evaluation itself
 * on the same instructions (test split, {@value #ITEMS} items, seed {@value #ITEM_SEED}: the Eval phase's defaults),
 * registers it as an {@code evaluation} artifact of a {@value #PHASE} execution and reuses it on later demos.
 */
public final class PrinciplesInContextEval {
    /** Lineage phase name of this evaluation. */
    public static final String PHASE = "demo_base_principles";
    /** Instructions graded (the Eval phase's default). */
    public static final int ITEMS = 32;
    /** Seed of the instruction sample (the Eval phase's default). */
    public static final long ITEM_SEED = 7;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActivityServices services;

    public PrinciplesInContextEval(ActivityServices services) {
        this.services = services;
    }

    /** The evaluation row, reused when the same base model, sets and settings were evaluated before. */
    public DemoSummary.EvaluationSummary evaluate(long baseModel, DemoSpec.Sets sets, long seed, boolean force,
                                                  String identity) throws Exception {
        Artifact base = services.lineage().artifact(baseModel);
        PrincipleSet principles = new PrincipleRepository(services.db()).find(sets.principleSet()).orElseThrow();
        ExemplarSet exemplars = new ExemplarRepository(services.db()).find(sets.exemplarSet()).orElseThrow();
        SandboxEval.Settings settings = new SandboxEval.Settings(96, 64, 0.7, seed, 0);
        ObjectNode config = JSON.createObjectNode();
        config.put("items", ITEMS).put("item_seed", ITEM_SEED).put("split", "test");
        config.set("settings", JSON.valueToTree(settings));
        config.put("exemplar_set", exemplars.contentHash());
        String key = ExecutionKeys.of(PHASE, services.codeVersion(), config, List.of(base.sha256()),
                principles.contentHash());
        if (!force) {
            Optional<PhaseExecution> done = services.lineage().findCompleted(key);
            if (done.isPresent() && services.lineage().outputsAvailable(done.get())) {
                Artifact a = services.lineage().artifact(done.get().outputs().get("evaluation"));
                return summary(a.id(), a.metadata().get("report"));
            }
        }
        PhaseExecution execution = services.lineage().startExecution(new ExecutionStart(null, PHASE,
                "demo/" + PHASE + "/" + UUID.randomUUID(), key, identity, sets.principleSet(), sets.exemplarSet(),
                config));
        try {
            List<Instruction> instructions = InstructionGenerator.standard().sample(Split.TEST, ITEMS, ITEM_SEED);
            SandboxEval.Report report;
            Path dir = services.store().resolve(base.sha256());
            try (EngineSandboxModel model = EngineSandboxModel.load(dir)) {
                int reserve = 0;
                for (Instruction ins : instructions) {
                    reserve = Math.max(reserve, model.countTokens("\n" + ins.text() + "\n"));
                }
                SelfAlignContext ctx = SelfAlignContext.fit(principles.withRole(Role.SELF_ALIGN),
                        exemplars.exemplars(), 2, model::countTokens,
                        model.contextLength() - settings.maxThoughtTokens() - settings.maxAnswerTokens(), reserve);
                report = new SandboxEval().selfAlign(model, ctx, instructions, "test", settings);
            }
            ObjectNode r = JSON.createObjectNode();
            r.put("n", report.n());
            r.put("composite", report.composite());
            r.put("formatOkRate", report.formatOkRate());
            ObjectNode rates = r.putObject("attributeTrueRates");
            report.attributes().forEach((name, rate) -> rates.put(name, rate.trueRate()));
            ObjectNode meta = JSON.createObjectNode();
            meta.put("mode", "base with principles and exemplars in context (SandboxEval.selfAlign)");
            meta.set("report", r);
            Artifact a = services.lineage().registerArtifact(new NewArtifact("evaluation",
                    services.store().putBytes(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report)
                            .getBytes(StandardCharsets.UTF_8)), meta, execution.id(), null,
                    List.of(new ArtifactEdge(baseModel, "model"))));
            Map<String, Double> metrics = new TreeMap<>();
            metrics.put("composite", report.composite());
            metrics.put("format_ok_rate", report.formatOkRate());
            services.lineage().completeExecution(execution.id(), Map.of("evaluation", a.id()),
                    JSON.valueToTree(metrics));
            return summary(a.id(), r);
        } catch (Exception e) {
            try {
                services.lineage().failExecution(execution.id(), String.valueOf(e.getMessage()));
            } catch (RuntimeException ignored) {
                // The original failure matters more.
            }
            throw e;
        }
    }

    private static DemoSummary.EvaluationSummary summary(long artifactId, JsonNode report) {
        return SummaryBuilder.evaluation("base_principles", artifactId, JSON.createObjectNode().set("report", report),
                Map.of());
    }
}
