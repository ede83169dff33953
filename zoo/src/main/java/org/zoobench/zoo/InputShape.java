package org.zoobench.zoo;

import org.deeplearning4j.nn.conf.inputs.InputType;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one example looks like: an image (channels x height x width, NCHW) or a sequence
 * (features per step x number of steps, DL4J's [batch, features, time] layout).
 */
public record InputShape(Kind kind, int channels, int height, int width) {

    public enum Kind { IMAGE, SEQUENCE }

    private static final Pattern IMAGE_SPEC = Pattern.compile("(\\d+)x(\\d+)x(\\d+)");
    private static final Pattern SEQUENCE_SPEC = Pattern.compile("(\\d+)x(\\d+)(?:seq)?");

    public InputShape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new UserInputException("input shape must have positive sizes, got "
                    + channels + "x" + height + "x" + width);
        }
    }

    public static InputShape image(int channels, int height, int width) {
        return new InputShape(Kind.IMAGE, channels, height, width);
    }

    /** A sequence of {@code length} steps with {@code features} values each. */
    public static InputShape sequence(int features, int length) {
        return new InputShape(Kind.SEQUENCE, features, 1, length);
    }

    /** Parses {@code CxHxW} (image) or {@code FxT} (sequence: features x steps). */
    public static InputShape parse(String spec) {
        String s = spec.trim().toLowerCase();
        Matcher image = IMAGE_SPEC.matcher(s);
        if (image.matches()) {
            return image(Integer.parseInt(image.group(1)), Integer.parseInt(image.group(2)),
                    Integer.parseInt(image.group(3)));
        }
        Matcher seq = SEQUENCE_SPEC.matcher(s);
        if (seq.matches()) {
            return sequence(Integer.parseInt(seq.group(1)), Integer.parseInt(seq.group(2)));
        }
        throw new UserInputException("cannot read input shape '" + spec
                + "': expected CxHxW for images (e.g. 3x224x224) or FxT for sequences (e.g. 28x28)");
    }

    public boolean isSequence() {
        return kind == Kind.SEQUENCE;
    }

    /** Features per time step of a sequence input. */
    public int features() {
        return channels;
    }

    /** Time steps of a sequence input. */
    public int length() {
        return width;
    }

    public InputType toInputType() {
        return isSequence() ? InputType.recurrent(features(), length())
                : InputType.convolutional(height, width, channels);
    }

    /** Shape of a batch of these examples as DL4J expects it. */
    public long[] batchShape(long batchSize) {
        return isSequence() ? new long[]{batchSize, features(), length()}
                : new long[]{batchSize, channels, height, width};
    }

    /** Values per example. */
    public long size() {
        return (long) channels * height * width;
    }

    @Override
    public String toString() {
        return isSequence() ? features() + "x" + length() : channels + "x" + height + "x" + width;
    }
}
