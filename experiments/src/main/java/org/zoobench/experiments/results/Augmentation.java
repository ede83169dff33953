package org.zoobench.experiments.results;

import java.io.Serializable;
import java.util.Locale;

/**
 * Random crops and flips of the training images (test images stay whole): each training image, at the model's
 * input size, is padded by {@code cropPadding} black pixels on every side and cropped back to that size at a random
 * offset, then mirrored left to right with probability one half where {@code horizontalFlips} says so. Drawn from
 * the run's seed, so a run is repeatable.
 */
public record Augmentation(int cropPadding, boolean horizontalFlips) implements Serializable {

    /** He et al. (2015) on CIFAR-10: 4 pixels of padding, random 32x32 crops, horizontal flips. */
    public static final Augmentation CROPS_AND_FLIPS = new Augmentation(4, true);

    public Augmentation {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("crop padding cannot be negative: " + cropPadding);
        }
    }

    /** E.g. "random crops of the image padded by 4 pixels, horizontal flips". */
    public String inWords() {
        String crops = cropPadding == 0 ? "no crops" : String.format(Locale.ROOT,
                "random crops of the image padded by %d pixels", cropPadding);
        return crops + (horizontalFlips ? ", horizontal flips" : ", no flips");
    }
}
