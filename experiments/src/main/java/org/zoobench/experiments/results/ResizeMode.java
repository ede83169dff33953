package org.zoobench.experiments.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.zoobench.UserInputException;

import java.util.Arrays;
import java.util.Locale;

/** How a run's images reach the model's input size. */
public enum ResizeMode {
    /** Whole images scaled, up or down. */
    BILINEAR,
    /** Whole images with a zero border; never shrinks. */
    PAD,
    /**
     * ImageNet-style training: {@code --data-dir}'s train/ and val/ folders streamed from disk, shorter side to
     * 256/224 of the input, random crops and flips for training, centre crops for evaluation.
     */
    CROP;

    /** A name as --resize takes it, in any case. */
    @JsonCreator
    public static ResizeMode parse(String name) {
        return Arrays.stream(values()).filter(m -> m.id().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new UserInputException("unknown resize mode '" + name + "'; choose bilinear or pad"
                        + " (or crop for ImageNet-style crops of an image folder)"));
    }

    /** The name in run configs and results: "bilinear", "pad", "crop". */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
