package org.zoobench.experiments.runner;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A learning rate falling linearly from {@code initialValue} at step 0 to 0 after {@code steps} steps. DL4J's
 * {@code PolySchedule} looks like this at power 1 but computes {@code (1 + i/max)^power}: a rate that doubles before
 * dropping to 0. Serialised with the model (the updater's schedule is part of its configuration).
 */
public final class LinearDecay implements ISchedule {

    private final double initialValue;
    private final int steps;

    public LinearDecay(@JsonProperty("initialValue") double initialValue, @JsonProperty("steps") int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("a linear decay needs at least one step, got " + steps);
        }
        this.initialValue = initialValue;
        this.steps = steps;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return initialValue * Math.max(0, 1 - iteration / (double) steps);
    }

    @Override
    public ISchedule clone() {
        return new LinearDecay(initialValue, steps);
    }

    public double getInitialValue() {
        return initialValue;
    }

    public int getSteps() {
        return steps;
    }
}
