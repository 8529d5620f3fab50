package salmonrun.activities.salmon;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.ModelConfig;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.tokenizer.BpeTrainer;
import salmonrun.activities.principles.Exemplar;
import salmonrun.activities.principles.ExemplarSet;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

/** A tiny random decoder with a BPE tokenizer trained on Salmon's prompt formats, registered as a checkpoint. */
final class TinySalmon {
    static final ChatFormat FORMAT = ChatFormat.standard();
    static final PrincipleSet PRINCIPLES = new PrincipleSet(null, "tiny", "tiny-hash", List.of(
            new Principle("Correct", "Give the right answer.", null, 1, Role.SELF_ALIGN),
            new Principle("Brief", "Keep it short.", null, 1, Role.SELF_ALIGN),
            new Principle("Honest", "Say when you do not know.", "Pretends to know.", 1, Role.LABELLING),
            new Principle("Concise", "The answer is short.", "The answer rambles.", 1, Role.LABELLING)));
    static final ExemplarSet EXEMPLARS = new ExemplarSet(null, "tiny-ex", "tiny-ex-hash", List.of(
            new Exemplar("What is 2 plus 3?", SelfAlignPrompt.THOUGHTS_PREFIX + " A sum. I should follow rules 1 (Correct).",
                    "2 plus 3 is 5.")));
    static final List<Prompt> PROMPTS = List.of(Prompt.of("What is 4 plus 4?"), Prompt.of("Who rules Velmora?"),
            Prompt.of("Name a colour."), Prompt.of("Say hello."), Prompt.of("What is 7 minus 2?"),
            Prompt.of("Tell me a fact."));

    private TinySalmon() {}

    /** Text in all of Salmon's formats, for training the tokenizer's merges. */
    static List<String> corpus() {
        List<String> docs = new ArrayList<>();
        SelfAlignPrompt sa = new SelfAlignPrompt("Salmon", PRINCIPLES.withRole(Role.SELF_ALIGN), EXEMPLARS.exemplars());
        JudgePrompt judge = new JudgePrompt("Salmon");
        for (int i = 0; i < 40; i++) {
            Prompt p = PROMPTS.get(i % PROMPTS.size());
            docs.add(FORMAT.prompt(FORMAT.systemPromptFor(i), p.userTurn()) + FORMAT.target("The answer is " + i + ".", true));
            docs.add(sa.render(p.userTurn()) + "\n" + SelfAlignPrompt.THOUGHTS_PREFIX + " Fine.\n\n### Salmon\nOk " + i);
            docs.add(judge.render(p.userTurn(), "one " + i, "two " + i, "Honest", "Say when you do not know.")
                    + (i % 2 == 0 ? "a" : "b") + ")");
        }
        return docs;
    }

    /** Writes a random tiny checkpoint (context {@code context}) into {@code dir}. */
    static Path checkpoint(Path dir, int context, long seed) {
        try {
            Files.createDirectories(dir);
            Path tok = dir.resolveSibling(dir.getFileName() + "-tokenizer.json");
            BpeTrainer.trainAndWrite(corpus(), 320, List.of("<|endoftext|>", "<pad>"), 2, tok);
            int vocab;
            try (var t = salmonrun.activities.model.tokenizer.TextTokenizer.load(tok)) {
                vocab = t.vocabSize();
            }
            ModelConfig cfg = ModelConfig.of(vocab, 32, 2, 4, 2, 64, context, false);
            try (LlamaModel m = LlamaModel.random(cfg, seed, Device.cpu())) {
                Checkpoint.save(dir, m, tok, null);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a random tiny checkpoint as an artifact of a fresh "base-model" execution; returns its id. */
    static long registeredCheckpoint(PhaseFixture fx, Path scratch, int context, long seed) {
        Path dir = checkpoint(scratch.resolve("base-" + seed + "-" + context), context, seed);
        PhaseContext ctx = fx.context("base-model");
        return ctx.registerDirectory("checkpoint", dir, SalmonJson.MAPPER.createObjectNode().put("seed", seed),
                List.of()).id();
    }

    /** Registers the tiny prompt pool, counting tokens with the checkpoint's tokenizer; returns its id. */
    static long pool(PhaseFixture fx, long checkpoint) {
        return PromptPoolPhase.run(fx.context("prompt-pool"), new PromptPoolPhase.Config(1, 100), List.of(),
                List.of(new PromptPoolPhase.Source("tiny", PROMPTS)), checkpoint).artifactId();
    }
}
