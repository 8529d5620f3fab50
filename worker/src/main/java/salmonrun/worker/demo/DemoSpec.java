package salmonrun.worker.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.principles.DefaultPrinciples;
import salmonrun.activities.principles.ExemplarRepository;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.workflows.common.PhaseNames;
import salmonrun.workflows.common.StrictJson;
import salmonrun.workflows.run.RunSpec;

/** The RunSpec of a demo: the preset's settings, the shipped principle and exemplar sets, the base model. */
public final class DemoSpec {
    private DemoSpec() {}

    /** The default principle and exemplar sets as stored in lineage. */
    public record Sets(long principleSet, long exemplarSet) {}

    /** Imports the shipped default sets (idempotent: the same content keeps its id). */
    public static Sets importDefaults(Database db) {
        long principles = new PrincipleRepository(db).importSet(DefaultPrinciples.principles(), "salmon demo",
                "shipped default set, imported by salmon demo").id();
        long exemplars = new ExemplarRepository(db).importSet(DefaultPrinciples.exemplars(), "salmon demo").id();
        return new Sets(principles, exemplars);
    }

    /** The spec as JSON (what the SalmonRun workflow receives), checked against {@link RunSpec} first. */
    public static ObjectNode build(DemoPreset preset, long baseModel, Sets sets, List<String> phases, long seed,
                                   boolean force) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode spec = f.objectNode();
        spec.put("name", "demo-" + preset.name());
        spec.put("startedBy", "salmon demo");
        spec.put("preset", preset.name());
        spec.put("baseModel", baseModel);
        spec.put("principleSet", sets.principleSet());
        spec.put("exemplarSet", sets.exemplarSet());
        ArrayNode list = spec.putArray("phases");
        phases.forEach(list::add);
        spec.put("seed", seed);
        spec.put("force", force);
        ObjectNode shards = spec.putObject("shards");
        shards.put("generation", preset.generationShards());
        shards.put("judging", preset.judgingShards());
        spec.put("heartbeatTimeoutSeconds", preset.heartbeatSeconds());
        ObjectNode loop = spec.putObject("ppoLoop");
        loop.put("iterations", preset.ppoIterations());
        spec.set("selfAlign", preset.phaseConfig(PhaseNames.SELF_ALIGN));
        spec.set("preferences", preset.phaseConfig(PhaseNames.PREFERENCES));
        spec.set("rewardModel", preset.phaseConfig(PhaseNames.REWARD_MODEL));
        spec.set("ppo", preset.phaseConfig(PhaseNames.PPO));
        spec.set("eval", preset.phaseConfig(PhaseNames.EVAL));
        StrictJson.read(spec, RunSpec.class, "demo RunSpec");
        return spec;
    }
}
