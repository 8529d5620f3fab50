package salmonrun.activities.salmon;

import ai.djl.Device;
import java.nio.file.Path;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.NoSuchArtifactException;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.TextTokenizer;

/** Model checkpoints as {@code checkpoint} artifacts: resolving, loading, and the tokenizer they carry. */
final class ModelCheckpoints {
    /** Artifact kind of a model directory. */
    static final String KIND = "checkpoint";

    private ModelCheckpoints() {}

    /** The stored directory of a checkpoint artifact; the message names the id when it does not exist. */
    static Path dir(PhaseContext ctx, long checkpointArtifactId) {
        Artifact a;
        try {
            a = ctx.artifact(checkpointArtifactId, KIND);
        } catch (NoSuchArtifactException e) {
            throw new IllegalArgumentException("model checkpoint artifact " + checkpointArtifactId + " does not exist", e);
        }
        return ctx.store().resolve(a.sha256());
    }

    /** A decoder and its tokenizer, closed together. */
    record Loaded(LlamaModel model, TextTokenizer tokenizer, Path dir) implements AutoCloseable {
        int count(String text) {
            return tokenizer.encode(text).length;
        }

        int context() {
            return model.config().maxPositionEmbeddings();
        }

        @Override
        public void close() {
            try {
                tokenizer.close();
            } finally {
                model.close();
            }
        }
    }

    /** Loads the decoder and tokenizer of a checkpoint artifact on the CPU. */
    static Loaded load(PhaseContext ctx, long checkpointArtifactId) {
        Path dir = dir(ctx, checkpointArtifactId);
        TextTokenizer tok = Checkpoint.loadTokenizer(dir);
        try {
            return new Loaded(Checkpoint.loadDecoder(dir, Device.cpu()), tok, dir);
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
    }
}
