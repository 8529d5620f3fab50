package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import salmonrun.activities.model.train.AdamW;
import salmonrun.activities.model.train.Gradients;
import salmonrun.activities.model.train.LrSchedule;
import salmonrun.activities.model.train.Optimizer;

/** One batch with a non-finite gradient must not poison the weights. */
class OptimizerTest {

    @Test
    void aNonFiniteGradientSkipsTheUpdateAndAFiniteOneApplies() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ParameterStore store = new ParameterStore(m);
            NDArray w = store.put(new HostTensor("w", new long[] {3}, new float[] {1, -2, 3}));
            try (Optimizer opt = new Optimizer(store, AdamW.Config.defaults(), LrSchedule.constant(0.1), 1.0)) {
                float[] before = w.toFloatArray();
                // d/dw sum(w * w.log()) is NaN where w < 0.
                Gradients.backward(m, s -> w.mul(w.log()).sum());
                Optimizer.StepInfo skipped = opt.step();
                assertFalse(Double.isFinite(skipped.gradNorm()), "the norm reports the bad gradient");
                assertEquals(0, opt.steps(), "no update is counted");
                assertArrayEquals(before, w.toFloatArray(), "weights untouched");

                Gradients.backward(m, s -> w.square().sum());
                Optimizer.StepInfo applied = opt.step();
                assertEquals(1, opt.steps());
                assertEquals(Math.sqrt(4 + 16 + 36), applied.gradNorm(), 1e-4);
                assertNotEquals(before[0], w.toFloatArray()[0], "a finite gradient updates the weights");
                for (float v : w.toFloatArray()) {
                    assertFalse(Float.isNaN(v));
                }
            }
        }
    }
}
