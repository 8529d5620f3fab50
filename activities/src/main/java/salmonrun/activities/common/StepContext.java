package salmonrun.activities.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.lineage.NewArtifact;
import salmonrun.activities.lineage.StoredObject;
import salmonrun.activities.principles.ExemplarRepository;
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.PrincipleRepository;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.salmon.PhaseContext;
import salmonrun.activities.salmon.ProgressListener;
import salmonrun.workflows.common.StepCall;

/**
 * What an activity body sees: its call, its lineage execution row, the services, a heartbeating progress
 * listener, and helpers to read inputs, register outputs and find the checkpoint to resume from.
 */
public final class StepContext {
    private final StepCall call;
    private final long executionId;
    private final ActivityServices services;
    private final ProgressListener progress;

    public StepContext(StepCall call, long executionId, ActivityServices services, ProgressListener progress) {
        this.call = call;
        this.executionId = executionId;
        this.services = services;
        this.progress = progress;
    }

    public StepCall call() {
        return call;
    }

    public long executionId() {
        return executionId;
    }

    public ActivityServices services() {
        return services;
    }

    /** Heartbeats, reports to the workflow, pauses; let its exceptions propagate. */
    public ProgressListener progress() {
        return progress;
    }

    /** The input artifact for a role, verified against its hash; bad input when absent. */
    public Artifact input(String role) {
        return services.lineage().artifact(inputId(role));
    }

    /** The id of the input artifact for a role; bad input when absent. */
    public long inputId(String role) {
        Long id = call.inputs().get(role);
        if (id == null) {
            throw new BadInputException(call.step() + ": missing input '" + role + "' (have " + call.inputs().keySet() + ")");
        }
        return id;
    }

    /** What the SALMON phase classes need of this execution: lineage, store, ids and the heartbeating progress. */
    public PhaseContext phase() {
        return new PhaseContext(services.lineage(), services.store(), executionId, call.runId(), progress);
    }

    /** The call's principle set; bad input when it does not exist. */
    public PrincipleSet principleSet() {
        return new PrincipleRepository(services.db()).find(call.principleSetId()).orElseThrow(() ->
                new BadInputException("principle set " + call.principleSetId() + " does not exist"));
    }

    /** The call's exemplar set; bad input when it does not exist. */
    public ExemplarSet exemplarSet() {
        return new ExemplarRepository(services.db()).find(call.exemplarSetId()).orElseThrow(() ->
                new BadInputException("exemplar set " + call.exemplarSetId() + " does not exist"));
    }

    /** The stored file or directory of an input artifact, after checking its bytes match its hash. */
    public Path inputPath(String role) {
        Artifact a = input(role);
        services.store().verify(a.sha256());
        return services.store().resolve(a.sha256());
    }

    /** The newest checkpoint this execution registered (a retried attempt resumes from it), verified. */
    public Optional<Artifact> newestCheckpoint() {
        Optional<Artifact> newest = services.lineage().newestArtifact(executionId, "checkpoint");
        newest.ifPresent(a -> services.store().verify(a.sha256()));
        return newest;
    }

    /** Stores a file or directory and registers it as an output of this execution, made from all call inputs. */
    public Artifact register(String kind, Path fileOrDir, JsonNode metadata) {
        StoredObject stored = java.nio.file.Files.isDirectory(fileOrDir)
                ? services.store().putDirectory(fileOrDir) : services.store().putFile(fileOrDir);
        return register(kind, stored, metadata);
    }

    /** Registers stored bytes as an output of this execution, made from all call inputs. */
    public Artifact register(String kind, StoredObject stored, JsonNode metadata) {
        List<ArtifactEdge> edges = new ArrayList<>();
        for (Map.Entry<String, Long> e : call.inputs().entrySet()) {
            edges.add(new ArtifactEdge(e.getValue(), e.getKey()));
        }
        return services.lineage().registerArtifact(new NewArtifact(kind, stored,
                metadata == null ? JsonNodeFactory.instance.objectNode() : metadata, executionId, call.runId(), edges));
    }
}
