package org.zoobench.experiments.results;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapTest {

    private static boolean[] hits(int n, int correct) {
        boolean[] h = new boolean[n];
        for (int i = 0; i < correct; i++) {
            h[i] = true;
        }
        return h;
    }

    @Test
    void intervalOfAccuracyMatchesTheNormalApproximationOnALargeTestSet() {
        // n = 10,000 at p = 0.8: the resampled accuracy is Binomial(n, p)/n, sd = sqrt(p(1-p)/n) = 0.004,
        // so the 95% interval is 0.8 ± 1.96 * 0.004 = [0.7922, 0.8078].
        Interval i = new Bootstrap(4000, 0.95, 1).accuracy(hits(10_000, 8_000));
        assertEquals(0.7922, i.low(), 0.0012);
        assertEquals(0.8078, i.high(), 0.0012);
        assertEquals(0.95, i.confidence());
    }

    @Test
    void allCorrectGivesADegenerateInterval() {
        Interval i = Bootstrap.standard(3).accuracy(hits(50, 50));
        assertEquals(1.0, i.low());
        assertEquals(1.0, i.high());
    }

    @Test
    void twoExamplesOneRightSpanEverythingAtNinetyFivePercent() {
        // Resampling {1, 0} twice gives mean 0 (p 1/4), 1/2 (p 1/2) or 1 (p 1/4): the 2.5% and 97.5% quantiles are 0 and 1.
        Interval i = new Bootstrap(2000, 0.95, 5).accuracy(new boolean[]{true, false});
        assertEquals(0.0, i.low());
        assertEquals(1.0, i.high());
        // ...while the central 40% is the single value 1/2.
        Interval central = new Bootstrap(2000, 0.40, 5).accuracy(new boolean[]{true, false});
        assertEquals(0.5, central.low());
        assertEquals(0.5, central.high());
    }

    @Test
    void sameSeedSameIntervalAndPairedDifferenceCancelsSharedExamples() {
        boolean[] h = hits(500, 350);
        assertEquals(new Bootstrap(1000, 0.95, 9).accuracy(h), new Bootstrap(1000, 0.95, 9).accuracy(h));
        double[] a = Bootstrap.toScores(h);
        Interval zero = Bootstrap.standard(2).difference(a, a.clone());
        assertEquals(0.0, zero.low());
        assertEquals(0.0, zero.high());
        double[] better = a.clone();
        for (int i = 350; i < 400; i++) {
            better[i] = 1; // 50 of 500 more right: the difference is the resampled share of those 50, about 0.1
        }
        Interval d = Bootstrap.standard(2).difference(better, a);
        assertTrue(d.contains(0.1) && d.low() > 0.07 && d.high() < 0.13, d.toString());
    }

    @Test
    void quantileInterpolatesLinearly() {
        assertEquals(2.5, Bootstrap.quantile(new double[]{1, 2, 3, 4}, 0.5));
        assertEquals(1.0, Bootstrap.quantile(new double[]{1, 2, 3, 4}, 0.0));
        assertEquals(4.0, Bootstrap.quantile(new double[]{1, 2, 3, 4}, 1.0));
    }

    @Test
    void rejectsEmptyTestSetsAndBadLevels() {
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.standard(1).accuracy(new boolean[0]));
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(1000, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(0, 0.95, 1));
    }
}
