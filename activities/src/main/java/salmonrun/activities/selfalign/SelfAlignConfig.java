package salmonrun.activities.selfalign;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import salmonrun.activities.common.PhaseConfigs;
import salmonrun.activities.salmon.ChatFormat;
import salmonrun.activities.salmon.EngravingPhase;
import salmonrun.activities.salmon.PromptPoolPhase;
import salmonrun.activities.salmon.SelfAlignFilterPhase;
import salmonrun.activities.salmon.SelfAlignGenerationPhase;

/**
 * The {@code selfAlign} section of a RunSpec: {@code promptPool}, {@code generation}, {@code filter},
 * {@code engraving}, each overriding the phase's defaults field by field.
 */
public record SelfAlignConfig(PromptSource promptPool, SelfAlignGenerationPhase.Config generation,
                              SelfAlignFilterPhase.Config filter, EngravingPhase.Config engraving) {

    /** Where the prompt pool comes from: prompt files on the worker and/or sandbox instructions. */
    public record PromptSource(int minTokens, int maxTokens, List<String> files, int sandboxPrompts,
                               long sandboxSeed) {
        static PromptSource defaults() {
            PromptPoolPhase.Config ref = PromptPoolPhase.Config.reference();
            return new PromptSource(ref.minTokens(), ref.maxTokens(), List.of(), 64, 1);
        }

        public PromptSource {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    static final Set<String> SECTIONS = Set.of("promptPool", "generation", "filter", "engraving");

    /** Engraving defaults where the phase defines none: two epochs, batches of 8, checkpoint every 25 steps. */
    static EngravingPhase.Config engravingDefaults() {
        return new EngravingPhase.Config(ChatFormat.DEFAULT_ASSISTANT, List.of(), 2.0, 8, 1, 512, 1e-3, 25, 42);
    }

    /** Reads the section strictly; {@code shards} (from the spec) wins over generation.shards. */
    public static SelfAlignConfig of(JsonNode config, int shards) {
        PhaseConfigs.onlySections(config, SECTIONS, "selfAlign");
        SelfAlignGenerationPhase.Config gen = PhaseConfigs.read(PhaseConfigs.section(config, "generation"),
                SelfAlignGenerationPhase.Config.reference(), SelfAlignGenerationPhase.Config.class,
                "selfAlign.generation");
        gen = new SelfAlignGenerationPhase.Config(gen.assistant(), gen.maxRules(), gen.maxExemplars(),
                gen.instructionReserve(), gen.maxNewTokens(), gen.temperature(), gen.topP(), gen.batchSize(), shards,
                gen.seed());
        return new SelfAlignConfig(
                PhaseConfigs.read(PhaseConfigs.section(config, "promptPool"), PromptSource.defaults(),
                        PromptSource.class, "selfAlign.promptPool"),
                gen,
                PhaseConfigs.read(PhaseConfigs.section(config, "filter"), SelfAlignFilterPhase.Config.defaults(),
                        SelfAlignFilterPhase.Config.class, "selfAlign.filter"),
                PhaseConfigs.read(PhaseConfigs.section(config, "engraving"), engravingDefaults(),
                        EngravingPhase.Config.class, "selfAlign.engraving"));
    }
}
