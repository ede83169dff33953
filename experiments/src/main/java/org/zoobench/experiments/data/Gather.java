package org.zoobench.experiments.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/** Copies chosen examples (first dimension) out of a contiguous float array. */
final class Gather {

    private Gather() {
    }

    static INDArray rows(FloatBuffer source, long[] shape, int[] rows) {
        int size = Math.toIntExact(shapeSize(shape) / shape[0]);
        float[] out = new float[rows.length * size];
        for (int k = 0; k < rows.length; k++) {
            source.get(rows[k] * size, out, k * size, size);
        }
        long[] batchShape = shape.clone();
        batchShape[0] = rows.length;
        return Nd4j.create(out, batchShape, 'c');
    }

    private static long shapeSize(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
