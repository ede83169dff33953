package org.zoobench.zoo;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What a caller may choose when building a registered model. DL4J bakes the updater and the data type into
 * the configuration, so they are options here rather than something applied afterwards.
 */
public record ModelOptions(int numClasses, InputShape input, long seed, IUpdater updater, DataType dataType) {

    public ModelOptions {
        if (numClasses < 1) {
            throw new UserInputException("number of classes must be at least 1, got " + numClasses);
        }
    }

    public static ModelOptions of(int numClasses, InputShape input) {
        return new ModelOptions(numClasses, input, 42, new Adam(1e-3), DataType.FLOAT);
    }

    public ModelOptions withClasses(int n) {
        return new ModelOptions(n, input, seed, updater, dataType);
    }

    public ModelOptions withInput(InputShape shape) {
        return new ModelOptions(numClasses, shape, seed, updater, dataType);
    }

    public ModelOptions withSeed(long s) {
        return new ModelOptions(numClasses, input, s, updater, dataType);
    }

    public ModelOptions withUpdater(IUpdater u) {
        return new ModelOptions(numClasses, input, seed, u, dataType);
    }

    public ModelOptions withDataType(DataType t) {
        return new ModelOptions(numClasses, input, seed, updater, t);
    }
}
