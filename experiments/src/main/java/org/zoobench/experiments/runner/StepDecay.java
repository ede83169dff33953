package org.zoobench.experiments.runner;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * A learning rate divided by 10 after each of the given epochs, as He et al. (2015) divide theirs at set
 * iterations. Counted in steps ({@code stepsPerEpoch} per epoch), because DL4J's runner here fits batch by batch
 * and its epoch counter does not advance. Serialised with the model, as {@link LinearDecay}.
 */
public final class StepDecay implements ISchedule {

    static final double FACTOR = 10;

    private final double initialValue;
    private final int stepsPerEpoch;
    private final int[] afterEpochs;

    public StepDecay(@JsonProperty("initialValue") double initialValue,
                     @JsonProperty("stepsPerEpoch") int stepsPerEpoch,
                     @JsonProperty("afterEpochs") int[] afterEpochs) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("an epoch has at least one step, got " + stepsPerEpoch);
        }
        this.initialValue = initialValue;
        this.stepsPerEpoch = stepsPerEpoch;
        this.afterEpochs = afterEpochs.clone();
    }

    /** The rate of step {@code iteration} (counting from 0): divided once for every listed epoch already over. */
    @Override
    public double valueAt(int iteration, int epoch) {
        int epochsDone = iteration / stepsPerEpoch;
        double rate = initialValue;
        for (int e : afterEpochs) {
            if (epochsDone >= e) {
                rate /= FACTOR;
            }
        }
        return rate;
    }

    @Override
    public ISchedule clone() {
        return new StepDecay(initialValue, stepsPerEpoch, afterEpochs);
    }

    public double getInitialValue() {
        return initialValue;
    }

    public int getStepsPerEpoch() {
        return stepsPerEpoch;
    }

    public int[] getAfterEpochs() {
        return afterEpochs.clone();
    }

    @Override
    public String toString() {
        return "StepDecay(" + initialValue + ", ÷10 after epochs " + Arrays.toString(afterEpochs) + ")";
    }
}
