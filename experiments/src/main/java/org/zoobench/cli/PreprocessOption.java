package org.zoobench.cli;

import org.zoobench.experiments.data.TorchvisionPreprocessing;
import picocli.CommandLine.Option;

/** {@code --preprocess}, shared by the commands that feed images to torchvision's weights. */
final class PreprocessOption {

    @Option(names = "--preprocess", paramLabel = "NAME", description = "imagenet (torchvision's resize 256, centre "
            + "crop 224, ImageNet mean and standard deviation) or inception (the same with mean and standard "
            + "deviation 0.5, for torchvision's GoogLeNet weights)")
    String name;

    boolean given() {
        return name != null;
    }

    TorchvisionPreprocessing preprocessing() {
        return TorchvisionPreprocessing.parse(name);
    }
}
