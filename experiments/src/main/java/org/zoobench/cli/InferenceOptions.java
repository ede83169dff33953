package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.experiments.data.TorchvisionPreprocessing;
import picocli.CommandLine.Option;

/** The options of the commands that run a saved model on images: their preprocessing and the forward batch. */
final class InferenceOptions {

    @Option(names = "--preprocess", paramLabel = "NAME", description = "imagenet (torchvision's resize 256, centre "
            + "crop 224, ImageNet mean and standard deviation) or inception (the same with mean and standard "
            + "deviation 0.5, for torchvision's GoogLeNet weights)", converter = Converters.PreprocessConverter.class)
    TorchvisionPreprocessing preprocess;

    @Option(names = "--batch", defaultValue = "32", description = "examples per forward pass (default "
            + "${DEFAULT-VALUE})")
    int batch;

    boolean preprocessGiven() {
        return preprocess != null;
    }

    TorchvisionPreprocessing preprocessing() {
        return preprocess;
    }

    /** The forward batch, checked. */
    int batch() {
        if (batch < 1) {
            throw new UserInputException("--batch must be at least 1, got " + batch);
        }
        return batch;
    }
}
