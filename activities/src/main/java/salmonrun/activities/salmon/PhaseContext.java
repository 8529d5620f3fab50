package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.LineageRepository;
import salmonrun.activities.lineage.NewArtifact;
import salmonrun.activities.lineage.StoredObject;

/**
 * What every SALMON phase runs inside: the lineage repository and artifact store it reads and writes, the
 * phase execution its artifacts are {@code produced_by}, the run they belong to (null outside a run), and
 * the listener it reports progress to (which may throw to cancel; phases let that propagate).
 */
public record PhaseContext(LineageRepository lineage, ArtifactStore store, long executionId, Long runId,
        ProgressListener progress) {

    public PhaseContext {
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(store, "store");
        progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** Stores bytes and registers them as an artifact of this execution with the given inputs. */
    public Artifact register(String kind, byte[] bytes, JsonNode metadata, List<ArtifactEdge> inputs) {
        StoredObject o = store.putBytes(bytes);
        return lineage.registerArtifact(new NewArtifact(kind, o, metadata, executionId, runId, inputs));
    }

    /** Stores a directory (a checkpoint) and registers it as an artifact of this execution. */
    public Artifact registerDirectory(String kind, Path dir, JsonNode metadata, List<ArtifactEdge> inputs) {
        StoredObject o = store.putDirectory(dir);
        return lineage.registerArtifact(new NewArtifact(kind, o, metadata, executionId, runId, inputs));
    }

    /** The artifact's row, checked to be of the expected kind (the message names both). */
    public Artifact artifact(long id, String expectedKind) {
        Artifact a = lineage.artifact(id);
        if (!a.kind().equals(expectedKind)) {
            throw new IllegalArgumentException("artifact " + id + " is a '" + a.kind() + "', expected a '"
                    + expectedKind + "'");
        }
        return a;
    }

    /** The bytes of a file artifact of the expected kind. */
    public byte[] read(long id, String expectedKind) {
        Artifact a = artifact(id, expectedKind);
        try {
            return Files.readAllBytes(store.resolve(a.sha256()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + id + " (" + a.sha256() + ")", e);
        }
    }

    /** Reports progress to the listener. */
    public void report(String stage, long step, long total, Map<String, Double> metrics, Long checkpointArtifactId) {
        progress.onProgress(new Progress(stage, step, total, metrics, checkpointArtifactId));
    }
}
