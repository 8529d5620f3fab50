package salmonrun.worker.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import salmonrun.activities.sandbox.SandboxPretrainer;

/**
 * The sandbox pretraining the demo makes its base model with ({@link SandboxPretrainer}, the engine behind
 * `salmon sandbox pretrain`): corpus, BPE tokenizer and a Llama-style base model trained within the preset's time
 * budget. Its figures become the pretraining execution's metrics in lineage.
 */
final class SandboxPretraining {
    private SandboxPretraining() {}

    static Optional<SandboxBaseModel.Pretrainer> pretrainer() {
        return Optional.of((preset, seed, out, progress, log) -> {
            SandboxPretrainer.Result r = SandboxPretrainer.pretrain(preset, out, seed, progress, log);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("parameters", (double) r.parameters());
            m.put("vocab", (double) r.vocab());
            m.put("corpus_tokens", (double) r.corpusTokens());
            m.put("steps", (double) r.steps());
            m.put("tokens_seen", (double) r.tokensSeen());
            m.put("tokens_per_s", r.tokensPerSecond());
            m.put("train_seconds", r.trainSeconds());
            m.put("held_out_loss_before", r.heldOutLossBefore());
            m.put("held_out_loss_after", r.heldOutLossAfter());
            return m;
        });
    }
}
