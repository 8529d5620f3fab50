package salmonrun.activities.salmon;

import salmonrun.activities.lineage.Artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Checkpoint directories for phases: build in a scratch directory, store and register, clean up. */
final class Checkpoints {
    private Checkpoints() {}

    /** The stored directory of a checkpoint artifact. */
    static Path dir(PhaseContext ctx, long artifactId) {
        Artifact a = ctx.artifact(artifactId, "checkpoint");
        Path p = ctx.store().resolve(a.sha256());
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("checkpoint artifact " + artifactId + " is not a directory: " + p);
        }
        return p;
    }

    /** Runs {@code build} on a fresh scratch directory path (not yet existing) and deletes the scratch afterwards. */
    static <T> T inScratch(java.util.function.Function<Path, T> build) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("salmon-ckpt-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory for a checkpoint", e);
        }
        try {
            return build.apply(scratch.resolve("checkpoint"));
        } finally {
            delete(scratch);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // scratch space; the next temp directory has another name
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

}
