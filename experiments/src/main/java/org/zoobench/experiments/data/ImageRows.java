package org.zoobench.experiments.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.UserInputException;

/**
 * Grey images read as sequences, one image row per step: an HxW image becomes H steps of W features, so a
 * recurrent model scans it top to bottom (the {@code fashion-mnist-rows} data set).
 */
public final class ImageRows {

    private ImageRows() {
    }

    /** {@code fashion-mnist-rows}: Fashion-MNIST loaded as usual, each 28x28 image as 28 steps of 28 pixels. */
    public static LoadedDataset fashionMnist(DataOptions options) {
        return asSequences(IdxDataset.FASHION_MNIST.load(options), "fashion-mnist-rows");
    }

    /** The same examples, labels and classes, with features [n, 1, H, W] turned into [n, W, H]. */
    public static LoadedDataset asSequences(LoadedDataset images, String name) {
        InputShape shape = images.shape();
        if (shape.isSequence() || shape.channels() != 1) {
            throw new UserInputException("only single-channel images can be read row by row; " + images.name()
                    + " has shape " + shape);
        }
        return new LoadedDataset(name, rows(images.train()), rows(images.test()),
                InputShape.sequence(shape.width(), shape.height()), images.classNames());
    }

    private static DataSet rows(DataSet images) {
        INDArray f = images.getFeatures();
        // [n, 1, H, W] -> [n, H, W] -> [n, W, H]: feature w of step h is pixel (h, w).
        INDArray sequences = f.reshape('c', f.size(0), f.size(2), f.size(3)).permute(0, 2, 1).dup('c');
        return new DataSet(sequences, images.getLabels());
    }
}
