package org.zoobench.experiments.results;

/** A confidence interval [low, high] at the given level (0.95 for 95%). */
public record Interval(double low, double high, double confidence) {

    public double halfWidth() {
        return (high - low) / 2;
    }

    public boolean contains(double value) {
        return value >= low && value <= high;
    }
}
