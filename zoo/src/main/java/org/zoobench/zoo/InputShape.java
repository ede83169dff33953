package org.zoobench.zoo;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.zoobench.UserInputException;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What one example looks like: an {@link Image} (channels x height x width, NCHW) or a {@link Sequence} (features
 * per step x number of steps, DL4J's [batch, features, time] layout). Serializable: run configs holding one travel
 * to Spark executors.
 */
public sealed interface InputShape extends Serializable permits InputShape.Image, InputShape.Sequence {

    record Image(int channels, int height, int width) implements InputShape {

        public Image {
            requirePositive(channels, height, width);
            requireAddressable((long) channels * height * width, channels + "x" + height + "x" + width);
        }

        @Override
        public InputType toInputType() {
            return InputType.convolutional(height, width, channels);
        }

        @Override
        public long[] batchShape(long batchSize) {
            return new long[]{batchSize, channels, height, width};
        }

        @Override
        public long size() {
            return (long) channels * height * width;
        }

        @Override
        public String toString() {
            return channels + "x" + height + "x" + width;
        }
    }

    /** A sequence of {@code length} steps with {@code features} values each. */
    record Sequence(int features, int length) implements InputShape {

        public Sequence {
            requirePositive(features, length);
            requireAddressable((long) features * length, features + "x" + length);
        }

        @Override
        public InputType toInputType() {
            return InputType.recurrent(features, length);
        }

        @Override
        public long[] batchShape(long batchSize) {
            return new long[]{batchSize, features, length};
        }

        @Override
        public long size() {
            return (long) features * length;
        }

        @Override
        public String toString() {
            return features + "x" + length;
        }
    }

    static Image image(int channels, int height, int width) {
        return new Image(channels, height, width);
    }

    static Sequence sequence(int features, int length) {
        return new Sequence(features, length);
    }

    /** Parses {@code CxHxW} (image) or {@code FxT} (sequence: features x steps). */
    static InputShape parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        Matcher image = Pattern.compile("(\\d+)x(\\d+)x(\\d+)").matcher(s);
        if (image.matches()) {
            return image(sizeOf(image.group(1), spec), sizeOf(image.group(2), spec), sizeOf(image.group(3), spec));
        }
        Matcher seq = Pattern.compile("(\\d+)x(\\d+)(?:seq)?").matcher(s);
        if (seq.matches()) {
            return sequence(sizeOf(seq.group(1), spec), sizeOf(seq.group(2), spec));
        }
        throw new UserInputException("cannot read input shape '" + spec
                + "': expected CxHxW for images (e.g. 3x224x224) or FxT for sequences (e.g. 28x28)");
    }

    /**
     * This shape as an image, for a model that reads images: a sequence is refused as DL4J refuses a shape it cannot
     * build for (an IllegalArgumentException, which {@link ShapeErrors} words for the user with the model's name).
     */
    default Image image() {
        if (this instanceof Image image) {
            return image;
        }
        throw new IllegalArgumentException("this model reads images given as CxHxW (e.g. 3x224x224), not sequences");
    }

    InputType toInputType();

    /** Shape of a batch of these examples as DL4J expects it. */
    long[] batchShape(long batchSize);

    /** Values per example. */
    long size();

    /** One size of a shape as typed; DL4J's shapes are ints. */
    private static int sizeOf(String digits, String spec) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new UserInputException("input shape '" + spec + "' has a size above " + Numbers.grouped(Integer.MAX_VALUE)
                    + ", the most DL4J takes; give smaller sizes, e.g. 3x224x224");
        }
    }

    /**
     * At most {@link Integer#MAX_VALUE} values per example: DL4J and the data sets index an example's values with
     * ints, and a model's counts at a larger input would overflow instead of failing.
     */
    private static void requireAddressable(long values, String shape) {
        if (values > Integer.MAX_VALUE) {
            throw new UserInputException("input shape " + shape + " has " + Numbers.grouped(values)
                    + " values per example, more than the " + Numbers.grouped(Integer.MAX_VALUE)
                    + " DL4J can index; give a smaller input");
        }
    }

    private static void requirePositive(int... sizes) {
        for (int size : sizes) {
            if (size <= 0) {
                throw new UserInputException("input shape must have positive sizes, got "
                        + Arrays.stream(sizes).mapToObj(String::valueOf).collect(Collectors.joining("x")));
            }
        }
    }
}
