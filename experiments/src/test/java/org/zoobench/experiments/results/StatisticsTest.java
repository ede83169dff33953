package org.zoobench.experiments.results;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsTest {

    @Test
    void tiesShareTheirAverageRank() {
        assertArrayEquals(new double[]{2.5, 1, 2.5, 4}, Statistics.ranks(new double[]{3, 1, 3, 7}));
    }

    @Test
    void spearmanIsOneForAnyIncreasingRelationAndMinusOneForADecreasingOne() {
        double[] x = {1, 2, 3, 4, 5};
        assertEquals(1, Statistics.spearman(x, new double[]{1, 4, 9, 16, 100}), 1e-12);
        assertEquals(-1, Statistics.spearman(x, new double[]{5, 3, 2, 0, -8}), 1e-12);
        // d = (0, 0, 1, -1, 0): 1 - 6 * 2 / (5 * 24) = 0.9
        assertEquals(0.9, Statistics.spearman(x, new double[]{1, 2, 4, 3, 5}), 1e-12);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        assertEquals(2.5, Statistics.mean(new double[]{1, 2, 3, 4}), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), Statistics.std(new double[]{1, 2, 3, 4}), 1e-12);
        assertEquals(0, Statistics.std(new double[]{7}));
        assertTrue(Double.isNaN(Statistics.mean(new double[0])));
    }
}
