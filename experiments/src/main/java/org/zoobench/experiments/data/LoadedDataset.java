package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.DataSet;
import org.zoobench.zoo.InputShape;

import java.util.List;

/**
 * A labelled data set held in memory at its native shape: features as floats in [0, 1] (images NCHW,
 * sequences [n, features, time]), labels one-hot. Resizing and normalisation for a particular model happen
 * per batch in the iterator, so a large resize never has to fit in memory at once.
 */
public record LoadedDataset(String name, DataSet train, DataSet test, InputShape shape, List<String> classNames) {

    public int numClasses() {
        return classNames.size();
    }
}
