package salmonrun.activities.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Turns autograd recording off for the current thread (inference), restoring the previous mode on close. */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;

    public NoGrad() {
        Engine.getEngine("PyTorch"); // loads the native library before the first direct JNI call
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
