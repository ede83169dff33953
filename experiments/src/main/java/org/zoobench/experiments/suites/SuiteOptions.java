package org.zoobench.experiments.suites;

import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import java.util.Locale;

/**
 * What a user chooses for a suite beyond its name: the cut-down recipe, the data set it trains on, the scale of
 * the nets, and (where a suite allows it) the input to train them at instead of the scale's own.
 *
 * @param input null for the suite's own choice
 */
public record SuiteOptions(boolean quick, Scale scale, DataChoice data, InputShape input) {

    /** The size of the nets a suite trains. */
    public enum Scale {
        /** Nets sized for small images and two CPU cores (e.g. the alexnet-mini variants). */
        MINI,
        /** The published ImageNet nets at 3x224x224, on an ImageNet-style image folder. */
        IMAGENET;

        public static Scale parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserInputException("unknown scale '" + name + "'; choose mini or imagenet");
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The data set a suite trains on, with the image shape and class count its files have (shape null for an
     * image folder at ImageNet scale, whose images of any size are cropped).
     */
    public record DataChoice(String name, InputShape shape, int classes) {
        public static final DataChoice FASHION_MNIST = new DataChoice("fashion-mnist", InputShape.image(1, 28, 28), 10);

        /** E.g. "fashion-mnist (10 classes)". */
        String describe() {
            return String.format(Locale.ROOT, "%s (%d classes)", name, classes);
        }
    }

    public static SuiteOptions of(boolean quick, DataChoice data) {
        return new SuiteOptions(quick, Scale.MINI, data, null);
    }

    /** For suites that only train their small nets at the inputs they choose: anything else is a user mistake. */
    void requireMiniScaleOwnInput(String suite) {
        if (scale != Scale.MINI) {
            throw new UserInputException("--scale " + scale + " applies to alexnet-ablation only, not " + suite);
        }
        if (input != null) {
            throw new UserInputException("--input applies to alexnet-ablation only; " + suite
                    + " chooses each net's input from the data set");
        }
    }
}
