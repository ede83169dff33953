package org.zoobench.experiments.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;

/** Builds a {@link DataSet} from images stored as unsigned bytes (pixel value / 255) and byte labels. */
final class ByteImages {

    private ByteImages() {
    }

    /**
     * @param pixels     all images back to back, each {@code imageSize} bytes in C, H, W order
     * @param pixelStart offset of image 0 in {@code pixels}
     * @param stride     bytes from one image to the next (more than {@code imageSize} when records carry a label)
     * @param labels     one label byte per image, read at {@code labelStart + i * labelStride}
     * @param keep       which images to keep, in output order
     * @param source     file name used in error messages
     */
    static DataSet toDataSet(byte[] pixels, int pixelStart, int stride, int c, int h, int w,
                             byte[] labels, int labelStart, int labelStride, int[] keep, int classes,
                             String source) {
        int imageSize = c * h * w;
        float[] features = new float[keep.length * imageSize];
        float[] oneHot = new float[keep.length * classes];
        for (int k = 0; k < keep.length; k++) {
            int i = keep[k];
            int label = labels[labelStart + i * labelStride] & 0xFF;
            if (label >= classes) {
                throw new UserInputException(source + " is corrupt: label " + label + " of example " + i
                        + " is outside 0.." + (classes - 1));
            }
            oneHot[k * classes + label] = 1f;
            int from = pixelStart + i * stride;
            int to = k * imageSize;
            for (int p = 0; p < imageSize; p++) {
                features[to + p] = (pixels[from + p] & 0xFF) / 255f;
            }
        }
        INDArray f = Nd4j.create(features, new long[]{keep.length, c, h, w}, 'c');
        INDArray l = Nd4j.create(oneHot, new long[]{keep.length, classes}, 'c');
        return new DataSet(f, l);
    }
}
