package salmonrun.activities.salmon;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every expected value below is computed by hand in the comment beside it. */
class PpoMathTest {
    private static final double EPS = 1e-9;

    @Test
    void k1KlIsClampedAtZeroAndK3IsExact() {
        float[] logp = {-1f, -2f, -0.5f};
        float[] ref = {-1.5f, -1f, -0.5f};
        assertArrayEquals(new double[] {0.5, 0, 0}, PpoMath.kl(logp, ref, 3, PpoMath.KlEstimator.K1), 1e-6);
        // d = 0.5: exp(-0.5) - 1 + 0.5 = 0.10653066
        assertEquals(0.10653066, PpoMath.kl(logp, ref, 1, PpoMath.KlEstimator.K3)[0], 1e-6);
        // d = -1: exp(1) - 1 - 1 = 0.71828183
        assertEquals(0.71828183, PpoMath.kl(logp, ref, 2, PpoMath.KlEstimator.K3)[1], 1e-6);
    }

    @Test
    void shapedRewardsPutTheScoreOnTheLastTokenAndScaleEverything() {
        // -0.01*[0.5,0,0] + [0,0,2] = [-0.005, 0, 2]; x10 = [-0.05, 0, 20]
        assertArrayEquals(new double[] {-0.05, 0, 20},
                PpoMath.shapedRewards(new double[] {0.5, 0, 0}, 2.0, 0.01, 10), EPS);
    }

    @Test
    void gaeWithGammaLambdaOneIsRewardToGoMinusValue() {
        double[] r = {1, 0, 2};
        float[] v = {0.5f, 0.5f, 1.0f};
        // t2: 2-1 = 1; t1: 0+1-0.5 + 1 = 1.5; t0: 1+0.5-0.5 + 1.5 = 2.5; returns = adv + v = [3, 2, 2]
        var g = PpoMath.gae(r, v, 1, 1);
        assertArrayEquals(new double[] {2.5, 1.5, 1}, g.advantages(), EPS);
        assertArrayEquals(new double[] {3, 2, 2}, g.returns(), EPS);
    }

    @Test
    void gaeDiscounts() {
        // gamma=lambda=0.5: t2 delta=1 adv=1; t1 delta=0+0.5*1-0.5=0, adv=0+0.25*1=0.25;
        // t0 delta=1+0.5*0.5-0.5=0.75, adv=0.75+0.25*0.25=0.8125
        var g = PpoMath.gae(new double[] {1, 0, 2}, new float[] {0.5f, 0.5f, 1.0f}, 0.5, 0.5);
        assertArrayEquals(new double[] {0.8125, 0.25, 1}, g.advantages(), EPS);
    }

    @Test
    void whitensOverAllRealPositionsOfTheBatch() {
        double[][] rows = {{1, 2}, {3}};
        PpoMath.whiten(rows, true, 0);
        // mean 2, population std sqrt(2/3) = 0.81649658
        assertArrayEquals(new double[] {-1.22474487, 0}, rows[0], 1e-7);
        assertArrayEquals(new double[] {1.22474487}, rows[1], 1e-7);
        double[][] kept = {{1, 2}, {3}};
        PpoMath.whiten(kept, false, 0);
        assertArrayEquals(new double[] {0.77525513, 2}, kept[0], 1e-7);
    }

    @Test
    void clippedPolicyLossIsPessimistic() {
        // pos0: ratio 1.5, A=1: -1.5 vs -1.2 -> -1.2 (clipped)
        // pos1: ratio 1, A=-2: 2 vs 2 -> 2
        // pos2: ratio 0.5, A=-1: 0.5 vs 0.8 -> 0.8 (clipped)
        var l = PpoMath.policyLoss(new double[] {Math.log(1.5), 0, Math.log(0.5)}, new double[] {0, 0, 0},
                new double[] {1, -2, -1}, 0.2);
        assertEquals((-1.2 + 2 + 0.8) / 3, l.loss(), EPS);
        assertEquals(2.0 / 3, l.clipFraction(), EPS);
    }

    @Test
    void clippedValueLoss() {
        // v=1, old=0.5, R=2, c=0.2: clipped v=0.7; (1-2)^2=1 vs (0.7-2)^2=1.69 -> 0.5*1.69
        // v=2.1, old=2, R=2: clipped 2.1 (inside); both 0.01 -> 0.005
        var l = PpoMath.valueLoss(new double[] {1, 2.1}, new double[] {0.5, 2}, new double[] {2, 2}, 0.2);
        assertEquals((0.845 + 0.005) / 2, l.loss(), 1e-9);
        assertEquals(0.5, l.clipFraction(), EPS);
    }

    @Test
    void bradleyTerryLossMatchesBceWithLogits() {
        assertEquals(Math.log(2), PpoMath.bradleyTerryLoss(0, 0, true), EPS);
        // r2 - r1 = 2: second preferred -> log(1 + e^-2) = 0.12692801; first preferred -> 2.12692801
        assertEquals(0.12692801, PpoMath.bradleyTerryLoss(1, 3, true), 1e-8);
        assertEquals(2.12692801, PpoMath.bradleyTerryLoss(1, 3, false), 1e-8);
        // large margins stay finite
        assertEquals(1000, PpoMath.bradleyTerryLoss(1000, 0, true), 1e-9);
    }

    @Test
    void lengthBonusHasSignCapAndNoLowerClamp() {
        assertEquals(2.5, SymbolicRewards.lengthBonus(512, 1024, 1.0, 5, 0.8), EPS);
        assertEquals(4.0, SymbolicRewards.lengthBonus(1024, 1024, 1.0, 5, 0.8), EPS);   // 5 * min(1, 0.8)
        assertEquals(-2.0, SymbolicRewards.lengthBonus(1024, 1024, -0.4, 5, 0.8), EPS);
        assertEquals(-4.0, SymbolicRewards.lengthBonus(2048, 1024, -0.4, 5, 0.8), EPS);
        assertEquals(-6.0, SymbolicRewards.unfinishedPenalty(false, -6.0), EPS);
        assertEquals(0.0, SymbolicRewards.unfinishedPenalty(true, -6.0), EPS);
    }
}
