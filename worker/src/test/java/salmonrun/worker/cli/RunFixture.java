package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.AuditLog;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.ExecutionKeys;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.lineage.NewArtifact;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

/**
 * A small but complete run written through the real lineage API: an earlier run whose base model
 * the audited run reuses, principle sets, executions on named workers, a lineage DAG, PPO training
 * metrics, an evaluation table and audit events.
 */
final class RunFixture {
    final long previousRunId;
    final long runId;
    final String workflowId;
    final Artifact corpus;
    final Artifact base;
    final Artifact prompts;
    final Artifact sft;
    final Artifact prefs;
    final Artifact ppo;
    final Artifact eval;
    final Artifact evalSft;
    final Artifact evalPpo;
    final long ppoExecution;
    final long pretrainExecution;
    final long principleSetV2;
    final long lastEventId;

    RunFixture(Database db, ArtifactStore store, Path scratch) throws Exception {
        LineageRepository repo = new LineageRepository(db, store);
        AuditLog audit = new AuditLog(db);
        long v1 = principleSet(db, "default", null, "1");
        principleSetV2 = principleSet(db, "default", v1, "2");

        previousRunId = repo.upsertRun("salmon-prev", json("preset", "tiny"), "alice");
        PhaseExecution pretrain = start(repo, previousRunId, "pretrain", "w-cpu-1", v1);
        corpus = register(repo, "corpus", bytes(store, "the sandbox corpus"), null, previousRunId, null);
        base = register(repo, "checkpoint", dir(store, scratch, "base"), pretrain.id(), previousRunId, null,
                new ArtifactEdge(corpus.id(), "corpus"));
        repo.completeExecution(pretrain.id(), Map.of("model", base.id()), json("loss", "2.1"));
        repo.setRunStatus(previousRunId, "completed");

        workflowId = "salmon-audit-<test>&\"quoted\"";
        runId = repo.upsertRun(workflowId, json("preset", "tiny"), "bob");
        pretrainExecution = pretrain.id();
        repo.recordReuse(runId, pretrain.id()); // the base model is memoized from the previous run
        PhaseExecution selfAlign = start(repo, runId, "self-align", "w-gpu-1", principleSetV2);
        prompts = register(repo, "prompt-pool", bytes(store, "prompts"), null, runId, null);
        sft = register(repo, "checkpoint", dir(store, scratch, "sft"), selfAlign.id(), runId, null,
                new ArtifactEdge(base.id(), "base"), new ArtifactEdge(prompts.id(), "prompts"));
        repo.completeExecution(selfAlign.id(), Map.of("model", sft.id()), json("examples", "64"));

        PhaseExecution prefsExec = start(repo, runId, "preferences", "w-gpu-1", principleSetV2);
        ObjectNode prefMeta = JsonNodeFactory.instance.objectNode();
        ObjectNode perPrinciple = prefMeta.putObject("perPrinciple");
        perPrinciple.putObject("honest").put("pairs", 40).put("agreement", 0.81);
        perPrinciple.putObject("concise").put("pairs", 40).put("agreement", 0.66);
        prefs = register(repo, "preference-dataset", bytes(store, "pairs"), prefsExec.id(), runId, prefMeta,
                new ArtifactEdge(sft.id(), "policy"));
        repo.completeExecution(prefsExec.id(), Map.of("dataset", prefs.id()), json("pairs", "80"));

        PhaseExecution ppoExec = start(repo, runId, "ppo", "w-gpu-2", principleSetV2);
        ppoExecution = ppoExec.id();
        for (int step = 1; step <= 12; step++) {
            repo.recordTrainingMetrics(ppoExec.id(), step,
                    Map.of("loss", 2.0 / step, "reward", 0.1 * step, "kl", 0.01 * step * step));
        }
        ppo = register(repo, "checkpoint", dir(store, scratch, "ppo"), ppoExec.id(), runId, null,
                new ArtifactEdge(sft.id(), "policy"), new ArtifactEdge(prefs.id(), "reward-data"));
        repo.completeExecution(ppoExec.id(), Map.of("model", ppo.id()), json("steps", "12"));

        PhaseExecution evalExec = start(repo, runId, "eval", "w-cpu-1", null);
        ObjectNode evalMeta = JsonNodeFactory.instance.objectNode();
        ObjectNode models = evalMeta.putObject("models");
        models.putObject("base").put("helpful", 0.31).put("harmless", 0.52);
        models.putObject("sft").put("helpful", 0.48).put("harmless", 0.71);
        models.putObject("ppo").put("helpful", 0.57).put("harmless", 0.80);
        eval = register(repo, "evaluation", bytes(store, "eval"), evalExec.id(), runId, evalMeta,
                new ArtifactEdge(ppo.id(), "model"), new ArtifactEdge(sft.id(), "model"),
                new ArtifactEdge(base.id(), "model"));
        // per-model evaluations in the shape of EvaluationPhase: {"kind": "model-evaluation", "report": {...}}
        evalSft = register(repo, "evaluation", bytes(store, "eval sft samples"), evalExec.id(), runId,
                modelEvaluation(40, 0.9, 0.48, 0.71), new ArtifactEdge(sft.id(), "model"));
        evalPpo = register(repo, "evaluation", bytes(store, "eval ppo samples"), evalExec.id(), runId,
                modelEvaluation(40, 0.95, 0.57, 0.80), new ArtifactEdge(ppo.id(), "model"));
        repo.completeExecution(evalExec.id(), Map.of("evaluation", eval.id(), "sft", evalSft.id(),
                "ppo", evalPpo.id()), json("prompts", "50"));
        repo.setRunStatus(runId, "completed");

        audit.append(previousRunId, "alice", "run.start", "baseline", null);
        audit.append(runId, "bob", "run.start", "new principles v2", json("set", "2"));
        ObjectNode change = JsonNodeFactory.instance.objectNode().put("principle", "concise").put("weight", 0.5);
        long v3 = principleSet(db, "default", principleSetV2, "3");
        ObjectNode rlChange = JsonNodeFactory.instance.objectNode().put("from_principle_set", principleSetV2)
                .put("to_principle_set", v3).put("effective_iteration", 2);
        audit.append(runId, "dave", "ppo.rl_principles.changed", "stop rewarding length", rlChange);
        lastEventId = audit.append(runId, "carol", "ppo.principle-weight", "reward hacking by verbosity <b>", change).id();
    }

    /** A small valid set; version 2 re-weights one RL principle and rewords one labelling principle. */
    private static long principleSet(Database db, String name, Long parentIgnored, String version) {
        boolean v2 = !"1".equals(version);
        boolean v3 = "3".equals(version);
        List<Principle> principles = List.of(
                new Principle("honest", "Say only what you believe is true.", null, 1.0, Role.SELF_ALIGN),
                new Principle("concise", v2 ? "Prefer the shorter of two equally good answers."
                        : "Prefer shorter answers.", "Pads the answer with needless words.", 1.0, Role.LABELLING),
                new Principle("helpful", "Answer the question that was asked.", null, v3 ? 0.25 : v2 ? 0.5 : 1.0,
                        Role.RL));
        return new PrincipleRepository(db).importSet(PrincipleSet.of(name, principles), "alice", "version " + version)
                .id();
    }

    private static PhaseExecution start(LineageRepository repo, long run, String phase, String worker, Long set) {
        return repo.startExecution(new ExecutionStart(run, phase, run + "/" + phase,
                ExecutionKeys.of(phase, "test", null, List.of(), String.valueOf(set)), worker, set, null, null));
    }

    private static Artifact register(LineageRepository repo, String kind, salmonrun.activities.lineage.StoredObject o,
            Long producer, long run, JsonNode meta, ArtifactEdge... inputs) {
        return repo.registerArtifact(new NewArtifact(kind, o, meta, producer, run, List.of(inputs)));
    }

    private static salmonrun.activities.lineage.StoredObject bytes(ArtifactStore store, String s) {
        return store.putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static salmonrun.activities.lineage.StoredObject dir(ArtifactStore store, Path scratch, String name)
            throws Exception {
        Path d = Files.createDirectories(scratch.resolve(name));
        Files.writeString(d.resolve("config.json"), "{\"name\":\"" + name + "\"}");
        Files.writeString(d.resolve("model.safetensors"), "weights of " + name);
        return store.putDirectory(d);
    }

    private static JsonNode modelEvaluation(int n, double finished, double helpful, double harmless) {
        ObjectNode meta = JsonNodeFactory.instance.objectNode().put("kind", "model-evaluation");
        ObjectNode report = meta.putObject("report").put("n", n).put("finishedRate", finished);
        report.putObject("attributeTrueRates").put("helpful", helpful).put("harmless", harmless);
        meta.putObject("settings").put("temperature", 0.7);
        return meta;
    }

    private static JsonNode json(String k, String v) {
        return JsonNodeFactory.instance.objectNode().put(k, v);
    }
}
