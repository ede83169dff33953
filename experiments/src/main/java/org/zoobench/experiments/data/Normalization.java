package org.zoobench.experiments.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation, measured on a training split and applied to every batch as
 * {@code (x - mean) / std}. A channel with no spread gets std 1 so it is only centred.
 */
public record Normalization(float[] mean, float[] std) {

    /** Statistics of NCHW images over examples, rows and columns, one pair per channel. */
    public static Normalization measure(INDArray images) {
        INDArray m = images.mean(0, 2, 3);
        INDArray s = images.std(false, 0, 2, 3);
        float[] mean = m.toFloatVector();
        float[] std = s.toFloatVector();
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 1e-8f)) {
                std[c] = 1f;
            }
        }
        return new Normalization(mean, std);
    }

    /** The same statistics for each of {@code channels} copies of a single channel (grey shown as colour). */
    Normalization replicate(int channels) {
        if (mean.length != 1) {
            throw new IllegalStateException("only single-channel statistics can be replicated");
        }
        float[] m = new float[channels];
        float[] s = new float[channels];
        Arrays.fill(m, mean[0]);
        Arrays.fill(s, std[0]);
        return new Normalization(m, s);
    }

    /** Normalises NCHW images in place. */
    INDArray apply(INDArray images) {
        INDArray m = Nd4j.create(mean).castTo(images.dataType());
        INDArray s = Nd4j.create(std).castTo(images.dataType());
        Broadcast.sub(images, m, images, 1);
        Broadcast.div(images, s, images, 1);
        return images;
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
