package org.zoobench.zoo;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.zoobench.UserInputException;
import org.zoobench.layers.LayerImpl;

/**
 * What a caller may choose when building a registered model. DL4J bakes the updater and the data type into
 * the configuration, so they are options here rather than something applied afterwards. The layer
 * implementation is applied to the built graph ({@link LayerImpl#apply}); fast unless asked otherwise.
 */
public record ModelOptions(int numClasses, InputShape input, long seed, IUpdater updater, DataType dataType,
                           LayerImpl impl) {

    public ModelOptions {
        if (numClasses < 1) {
            throw new UserInputException("number of classes must be at least 1, got " + numClasses);
        }
    }

    public static ModelOptions of(int numClasses, InputShape input) {
        return new ModelOptions(numClasses, input, 42, new Adam(1e-3), DataType.FLOAT, LayerImpl.FAST);
    }

    public ModelOptions withClasses(int n) {
        return new ModelOptions(n, input, seed, updater, dataType, impl);
    }

    public ModelOptions withInput(InputShape shape) {
        return new ModelOptions(numClasses, shape, seed, updater, dataType, impl);
    }

    public ModelOptions withSeed(long s) {
        return new ModelOptions(numClasses, input, s, updater, dataType, impl);
    }

    public ModelOptions withUpdater(IUpdater u) {
        return new ModelOptions(numClasses, input, seed, u, dataType, impl);
    }

    public ModelOptions withDataType(DataType t) {
        return new ModelOptions(numClasses, input, seed, updater, t, impl);
    }

    public ModelOptions withImpl(LayerImpl i) {
        return new ModelOptions(numClasses, input, seed, updater, dataType, i);
    }
}
