package salmonrun.activities.salmon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import salmonrun.activities.lineage.Artifact;

/**
 * P1: builds the {@code prompt-pool} artifact from prompt files (reference JSON/JSONL) and/or generated
 * (sandbox) prompts: token-length filter, exact-duplicate removal. Every file is parsed before anything is
 * written, so a bad file or an empty pool registers nothing.
 */
public final class PromptPoolPhase {
    /** Kind of the output artifact. */
    public static final String KIND = "prompt-pool";

    /** Length limits in tokens of the user turn; the reference kept 2..256 LLaMA tokens. */
    public record Config(int minTokens, int maxTokens) {
        public static Config reference() {
            return new Config(2, 256);
        }
    }

    /** A named list of prompts that does not come from a file (e.g. the sandbox's instruction generator). */
    public record Source(String name, List<Prompt> prompts) {
        /** {@code n} instructions of a sandbox split from the standard world's generator, named by split, size and seed. */
        public static Source sandbox(salmonrun.activities.sandbox.Split split, int n, long seed) {
            List<Prompt> ps = salmonrun.activities.sandbox.InstructionGenerator.standard().sample(split, n, seed).stream()
                    .map(i -> Prompt.of(i.text())).toList();
            return new Source("sandbox:" + split.name().toLowerCase(java.util.Locale.ROOT) + ":n=" + n + ":seed=" + seed, ps);
        }
    }

    /** The registered pool and what cleaning removed. */
    public record Result(long artifactId, int prompts, int tooShort, int tooLong, int duplicates) {}

    private PromptPoolPhase() {}

    /**
     * Imports, cleans and registers the pool, counting tokens with the tokenizer of a {@code checkpoint}
     * artifact (the model the pool is for); the pool gets a lineage edge to it.
     */
    public static Result run(PhaseContext ctx, Config config, List<Path> files, List<Source> generated,
            long tokenizerCheckpointArtifactId) {
        java.nio.file.Path dir = ModelCheckpoints.dir(ctx, tokenizerCheckpointArtifactId);
        try (var tok = salmonrun.activities.model.checkpoint.Checkpoint.loadTokenizer(dir)) {
            return run(ctx, config, files, generated, s -> tok.encode(s).length,
                    List.of(new salmonrun.activities.lineage.ArtifactEdge(tokenizerCheckpointArtifactId, "tokenizer")));
        }
    }

    /** Imports, cleans and registers the pool; {@code tokenCount} is the target model's tokenizer. */
    public static Result run(PhaseContext ctx, Config config, List<Path> files, List<Source> generated,
            ToIntFunction<String> tokenCount) {
        return run(ctx, config, files, generated, tokenCount, List.of());
    }

    private static Result run(PhaseContext ctx, Config config, List<Path> files, List<Source> generated,
            ToIntFunction<String> tokenCount, List<salmonrun.activities.lineage.ArtifactEdge> inputs) {
        List<Prompt> all = new ArrayList<>();
        ArrayNode sources = SalmonJson.MAPPER.createArrayNode();
        for (Path f : files) {
            List<Prompt> ps = PromptFileReader.read(f);
            all.addAll(ps);
            sources.addObject().put("file", f.getFileName().toString()).put("sha256", sha256(f)).put("prompts", ps.size());
        }
        for (Source s : generated) {
            all.addAll(s.prompts());
            sources.addObject().put("generator", s.name()).put("prompts", s.prompts().size());
        }
        ctx.report("prompt-pool", 0, all.size(), Map.of(), null);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("prompt pool is empty: the sources " + describe(files, generated)
                    + " hold no prompts");
        }
        PromptPool pool = PromptPool.clean(all, tokenCount, config.minTokens(), config.maxTokens());
        if (pool.prompts().isEmpty()) {
            throw new IllegalArgumentException("prompt pool is empty after cleaning: " + all.size() + " prompts, "
                    + pool.tooShort() + " shorter than " + config.minTokens() + " tokens, " + pool.tooLong()
                    + " longer than " + config.maxTokens() + ", " + pool.duplicates() + " duplicates");
        }
        ObjectNode meta = SalmonJson.MAPPER.createObjectNode();
        meta.put("prompts", pool.prompts().size());
        meta.put("too_short", pool.tooShort());
        meta.put("too_long", pool.tooLong());
        meta.put("duplicates", pool.duplicates());
        meta.put("min_tokens", config.minTokens());
        meta.put("max_tokens", config.maxTokens());
        meta.set("sources", sources);
        Artifact a = ctx.register(KIND, pool.toJsonl(), meta, inputs);
        ctx.report("prompt-pool", all.size(), all.size(), Map.of("prompts", (double) pool.prompts().size()), null);
        return new Result(a.id(), pool.prompts().size(), pool.tooShort(), pool.tooLong(), pool.duplicates());
    }

    /** The prompts of a registered pool. */
    public static List<Prompt> read(PhaseContext ctx, long poolArtifactId) {
        return PromptPool.fromJsonl(ctx.read(poolArtifactId, KIND));
    }

    private static String describe(List<Path> files, List<Source> generated) {
        List<String> names = new ArrayList<>();
        files.forEach(f -> names.add(f.toString()));
        generated.forEach(s -> names.add(s.name()));
        return names.toString();
    }

    private static String sha256(Path f) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
