package org.zoobench.experiments.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

/**
 * Images read as sequences, one image row per step: a CxHxW image becomes H steps of C*W features (the channels
 * of a row side by side), so a recurrent model scans it top to bottom (the {@code fashion-mnist-rows} data set,
 * and {@code NAME-rows} for any image data set NAME).
 */
public final class ImageRows {

    private ImageRows() {
    }

    /** {@code fashion-mnist-rows}: Fashion-MNIST loaded as usual, each 28x28 image as 28 steps of 28 pixels. */
    public static LoadedDataset fashionMnist(DataOptions options) {
        return asSequences(IdxDataset.FASHION_MNIST.load(options), "fashion-mnist-rows");
    }

    /** The same examples, labels and classes, with features [n, C, H, W] turned into [n, C*W, H]. */
    public static LoadedDataset asSequences(LoadedDataset images, String name) {
        if (!(images.shape() instanceof InputShape.Image shape)) {
            throw new UserInputException(images.name() + " already holds sequences (" + images.shape()
                    + "); only images can be read row by row");
        }
        return new LoadedDataset(name, rows(images.train()), rows(images.test()),
                InputShape.sequence(shape.channels() * shape.width(), shape.height()), images.classNames());
    }

    private static DataSet rows(DataSet images) {
        INDArray f = images.getFeatures();
        // [n, C, H, W] -> [n, C, W, H] -> [n, C*W, H]: feature (c, w) of step h is pixel (c, h, w).
        INDArray sequences = f.permute(0, 1, 3, 2).dup('c').reshape('c', f.size(0), f.size(1) * f.size(3), f.size(2));
        return new DataSet(sequences, images.getLabels());
    }
}
