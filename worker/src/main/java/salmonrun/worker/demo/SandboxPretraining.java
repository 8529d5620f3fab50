package salmonrun.worker.demo;

import java.util.Optional;

/**
 * The sandbox pretraining entry point the demo uses to make its base model. Empty until the sandbox's pretrainer
 * (issue 4, `salmon sandbox pretrain`) is in the build: the demo then reports pretraining as not built instead of
 * inventing a model.
 */
final class SandboxPretraining {
    private SandboxPretraining() {}

    static Optional<SandboxBaseModel.Pretrainer> pretrainer() {
        return Optional.empty();
    }
}
