package salmonrun.activities.salmon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The NDArray losses agree with the hand-checked host math of {@link PpoMath}, padding excluded by the mask. */
class PpoLossesTest {

    @Test
    void policyAndValueLossesMatchHostMathIgnoringPadding() {
        double[] logp = {Math.log(1.5), 0, Math.log(0.5)};
        double[] adv = {1, -2, -1};
        try (NDManager m = NDManager.newBaseManager()) {
            // row 0: the three positions; row 1: one real position then two padded ones with wild values
            NDArray lp = m.create(new float[] {(float) logp[0], (float) logp[1], (float) logp[2], 0.3f, 9f, 9f}, new Shape(2, 3));
            NDArray old = m.zeros(new Shape(2, 3));
            NDArray a = m.create(new float[] {1, -2, -1, 2, 100, 100}, new Shape(2, 3));
            NDArray mask = m.create(new float[] {1, 1, 1, 1, 0, 0}, new Shape(2, 3));
            float got = PpoLosses.policyLoss(lp, old, a, mask, 0.2f, 4f).getFloat();
            var host = PpoMath.policyLoss(new double[] {logp[0], logp[1], logp[2], 0.3}, new double[4],
                    new double[] {adv[0], adv[1], adv[2], 2}, 0.2);
            assertEquals(host.loss(), got, 1e-5);

            NDArray v = m.create(new float[] {1f, 2.1f, 0f, 5f, 7f, 7f}, new Shape(2, 3));
            NDArray ov = m.create(new float[] {0.5f, 2f, 0f, 4f, 0f, 0f}, new Shape(2, 3));
            NDArray r = m.create(new float[] {2f, 2f, 0f, 6f, 0f, 0f}, new Shape(2, 3));
            float vl = PpoLosses.valueLoss(v, ov, r, mask, 0.2f, 4f).getFloat();
            var hv = PpoMath.valueLoss(new double[] {1, 2.1, 0, 5}, new double[] {0.5, 2, 0, 4},
                    new double[] {2, 2, 0, 6}, 0.2);
            assertEquals(hv.loss(), vl, 1e-5);
        }
    }

    @Test
    void bradleyTerryMatchesHostMath() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray r1 = m.create(new float[] {1f, 1f, 0f, 30f});
            NDArray r2 = m.create(new float[] {3f, 3f, 0f, -30f});
            NDArray y = m.create(new float[] {1f, 0f, 1f, 1f});
            double host = PpoMath.bradleyTerryLoss(1, 3, true) + PpoMath.bradleyTerryLoss(1, 3, false)
                    + PpoMath.bradleyTerryLoss(0, 0, true) + PpoMath.bradleyTerryLoss(30, -30, true);
            assertEquals(host / 4, PpoLosses.bradleyTerry(r1, r2, y, 4f).getFloat(), 1e-4);
        }
    }

    @Test
    void advantagesAreWhitenedAcrossTheBatchAndReturnsAreRewardToGo() {
        PpoConfig c = PpoConfig.defaults();   // k1, coef 0.01, scale 10, gamma = lambda = 1
        var s1 = new PpoAdvantages.Sequence(new float[] {-1f, -1f}, new float[] {-1.5f, -1f}, new float[] {0f, 0f}, 1.0);
        var s2 = new PpoAdvantages.Sequence(new float[] {-2f}, new float[] {-2f}, new float[] {0.5f}, -1.0);
        var t = PpoAdvantages.compute(List.of(s1, s2), c);
        // s1: kl [0.5, 0]; shaped = 10 * [-0.005, 1] = [-0.05, 10]; values 0 -> returns [9.95, 10]
        assertEquals(9.95, t.get(0).returns()[0], 1e-6);
        assertEquals(10.0, t.get(0).returns()[1], 1e-6);
        assertEquals(0.5, t.get(0).klSum(), 1e-6);
        // s2: shaped [-10], value 0.5 -> adv -10.5, return -10
        assertEquals(-10.0, t.get(1).returns()[0], 1e-6);
        // raw advantages [9.95, 10, -10.5]: mean 3.15, whitened mean 0 and unit population variance
        double sum = 0;
        double sq = 0;
        for (var x : t) {
            for (double a : x.advantages()) {
                sum += a;
                sq += a * a;
            }
        }
        assertEquals(0, sum, 1e-9);
        assertEquals(3, sq, 1e-6);
    }
}
