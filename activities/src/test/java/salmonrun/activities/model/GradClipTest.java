package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import salmonrun.activities.model.train.AdamW;
import salmonrun.activities.model.train.GradClip;
import salmonrun.activities.model.train.Gradients;

/** Global-norm clipping against a hand computation, with negative gradients (where DJL's own clipping fails). */
class GradClipTest {

    /** loss = sum(a * ca) + sum(b * cb), so the gradients are exactly ca and cb. */
    private static float[][] gradsAfterClip(float[] ca, float[] cb, double maxNorm, double[] normOut) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ParameterStore store = new ParameterStore(m);
            NDArray a = store.put(new HostTensor("a", new long[] {2, 2}, new float[] {1, 2, 3, 4}));
            NDArray b = store.put(new HostTensor("b", new long[] {3}, new float[] {-1, 0, 1}));
            Gradients.backward(m, s -> a.mul(s.create(ca, new Shape(2, 2))).sum()
                    .add(b.mul(s.create(cb, new Shape(3))).sum()));
            normOut[0] = GradClip.clip(List.of(a, b), maxNorm);
            float[][] out = {a.getGradient().toFloatArray(), b.getGradient().toFloatArray()};
            AdamW.zeroGradients(store);
            return out;
        }
    }

    @Test
    void scalesAllGradientsByMaxOverNormKeepingSigns() {
        float[] ca = {-3, 4, -0.5f, 0};
        float[] cb = {-12, 0.5f, -0.25f};
        double expectedNorm = Math.sqrt(9 + 16 + 0.25 + 144 + 0.25 + 0.0625);
        double[] norm = new double[1];
        float[][] g = gradsAfterClip(ca, cb, 1.0, norm);
        assertEquals(expectedNorm, norm[0], 1e-4);
        double scale = 1.0 / (expectedNorm + 1e-6);
        for (int i = 0; i < ca.length; i++) {
            assertEquals(ca[i] * scale, g[0][i], 1e-6, "a[" + i + "]");
        }
        for (int i = 0; i < cb.length; i++) {
            assertEquals(cb[i] * scale, g[1][i], 1e-6, "b[" + i + "]");
        }
        double clippedNorm = 0;
        for (float[] t : g) {
            for (float v : t) {
                clippedNorm += v * v;
            }
        }
        assertEquals(1.0, Math.sqrt(clippedNorm), 1e-5);
    }

    @Test
    void leavesGradientsBelowTheThresholdUntouched() {
        float[] ca = {-0.1f, 0.2f, -0.3f, 0};
        float[] cb = {-0.2f, 0, 0.1f};
        double[] norm = new double[1];
        float[][] g = gradsAfterClip(ca, cb, 5.0, norm);
        assertArrayEquals(ca, g[0], 0f);
        assertArrayEquals(cb, g[1], 0f);
    }
}
