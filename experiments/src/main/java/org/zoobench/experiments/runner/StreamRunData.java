package org.zoobench.experiments.runner;

import org.zoobench.experiments.data.ImageFolderStream;
import org.zoobench.zoo.InputShape;

/**
 * A run's batches decoded from an image folder on disk ({@link ImageFolderStream}): random crops and flips for
 * training; centre crops of the validation images (the test set here), of a fixed training sample and, where a
 * run evaluates it, of every training image.
 */
final class StreamRunData {

    private StreamRunData() {
    }

    static RunData open(ImageFolderStream stream, InputShape input, int batchSize, long seed) {
        return new IteratorRunData(stream.train(input, batchSize, seed),
                stream.trainSample(input, batchSize, RunData.TRAIN_SAMPLE), stream.val(input, batchSize),
                () -> stream.trainSample(input, batchSize, stream.trainSize()), stream.trainSize(), stream.valSize());
    }
}
