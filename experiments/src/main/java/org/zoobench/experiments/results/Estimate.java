package org.zoobench.experiments.results;

import java.io.Serializable;

/** A figure in percent with its bootstrap interval. */
public record Estimate(double value, double low, double high) implements Serializable {

    public static Estimate percent(double fraction, Interval interval) {
        return new Estimate(100 * fraction, 100 * interval.low(), 100 * interval.high());
    }

    public double halfWidth() {
        return (high - low) / 2;
    }

    public boolean contains(double v) {
        return low <= v && v <= high;
    }

    /** E.g. "84.3 [83.6, 85.0]". */
    public String format() {
        return String.format(java.util.Locale.ROOT, "%.1f [%.1f, %.1f]", value, low, high);
    }

    /** A difference, e.g. "+2.1 [+0.5, +3.7]". */
    public String formatSigned() {
        return String.format(java.util.Locale.ROOT, "%+.1f [%+.1f, %+.1f]", value, low, high);
    }
}
