package salmonrun.activities.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The one way to run a differentiable forward pass: DJL allows a single GradientCollector per JVM, so every
 * backward pass in the process is serialised here. Gradients accumulate into the parameters' {@code .grad}
 * until an optimizer zeroes them, so calling {@link #backward} several times is gradient accumulation.
 */
public final class Gradients {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private Gradients() {
    }

    /**
     * Runs {@code loss} inside a gradient collector with a fresh sub-manager of {@code parent} (closed afterwards,
     * with every intermediate array), back-propagates the returned scalar and returns its value.
     * Build your inputs in the given manager; the loss may be any scalar expression of model outputs.
     */
    public static float backward(NDManager parent, Function<NDManager, NDArray> loss) {
        LOCK.lock();
        try (NDManager step = parent.newSubManager();
             NDScope ignored = new NDScope();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray value = loss.apply(step);
            if (value.getShape().size() != 1) {
                throw new IllegalArgumentException("loss must be a scalar, got shape " + value.getShape());
            }
            collector.backward(value);
            return value.toFloatArray()[0];
        } finally {
            LOCK.unlock();
        }
    }
}
