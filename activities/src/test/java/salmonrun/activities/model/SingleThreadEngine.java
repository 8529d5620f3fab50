package salmonrun.activities.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Pins PyTorch to one intra-op thread for tests that compare two runs: a multi-threaded kernel's summation order
 * can follow thread scheduling on a loaded machine, and training amplifies that 1e-7 noise step by step.
 */
public final class SingleThreadEngine {
    private SingleThreadEngine() {
    }

    /** Pins one thread and returns the previous count, for {@link #restore(int)}. */
    public static int pin() {
        Engine.getEngine("PyTorch");
        int previous = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        return previous;
    }

    /** Restores the thread count {@link #pin()} returned. */
    public static void restore(int threads) {
        JniUtils.setNumThreads(threads);
    }
}
