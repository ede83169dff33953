package org.zoobench.experiments.results;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap over test examples (docs/results.md): draw B resamples of the n test predictions with
 * replacement, compute the figure on each, and take the (1-c)/2 and (1+c)/2 quantiles. Seeded, so a rerun
 * gives the same interval. Needs no retraining; it measures the uncertainty due to the finite test set.
 */
public final class Bootstrap {

    public static final int DEFAULT_SAMPLES = 2000;
    public static final double DEFAULT_CONFIDENCE = 0.95;

    private final int samples;
    private final double confidence;
    private final long seed;

    public Bootstrap(int samples, double confidence, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("bootstrap needs at least one resample, got " + samples);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must lie in (0, 1), got " + confidence);
        }
        this.samples = samples;
        this.confidence = confidence;
        this.seed = seed;
    }

    public static Bootstrap standard(long seed) {
        return new Bootstrap(DEFAULT_SAMPLES, DEFAULT_CONFIDENCE, seed);
    }

    public int samples() {
        return samples;
    }

    /** Interval for the mean of per-example scores (1/0 for hit/miss gives accuracy as a fraction). */
    public Interval mean(double[] scores) {
        return paired(scores, new double[scores.length], 0);
    }

    /** Interval for accuracy (as a fraction) from per-example hits. */
    public Interval accuracy(boolean[] hits) {
        return mean(toScores(hits));
    }

    /**
     * Interval for mean(a) - mean(b) where a[i] and b[i] belong to the same test example: each resample
     * draws the same examples for both, so the shared difficulty of examples cancels.
     */
    public Interval difference(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired scores differ in length: " + a.length + " vs " + b.length);
        }
        return paired(a, b, 1);
    }

    private Interval paired(double[] a, double[] b, double weightOfB) {
        int n = a.length;
        if (n == 0) {
            throw new IllegalArgumentException("cannot bootstrap an empty test set");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] statistics = new double[samples];
        for (int s = 0; s < samples; s++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(n);
                sum += a[k] - weightOfB * b[k];
            }
            statistics[s] = sum / n;
        }
        Arrays.sort(statistics);
        double tail = (1 - confidence) / 2;
        return new Interval(quantile(statistics, tail), quantile(statistics, 1 - tail), confidence);
    }

    /** Linear interpolation between order statistics (type 7, the default of R and NumPy). */
    static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    public static double[] toScores(boolean[] hits) {
        double[] scores = new double[hits.length];
        for (int i = 0; i < hits.length; i++) {
            scores[i] = hits[i] ? 1 : 0;
        }
        return scores;
    }
}
