package org.zoobench.layers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A column-major matrix stored in a freshly allocated (contiguous, offset 0) float or double ND4J array, read and
 * written element by element from Java and multiplied by OpenBLAS directly. Element {@code (row, col)} is at
 * {@code row + ld * col}; an ND4J array of C-order shape {@code [cols, ...rows]} is such a matrix with
 * {@code ld} the product of the row dimensions.
 */
abstract sealed class BlasMatrix {

    final INDArray array;
    final int ld;

    private BlasMatrix(INDArray array, int ld) {
        this.array = array;
        this.ld = ld;
    }

    static BlasMatrix of(INDArray array, long ld) {
        if (array.dataType() != DataType.FLOAT && array.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("OpenBLAS multiplies float or double, not " + array.dataType());
        }
        return array.dataType() == DataType.FLOAT ? new Floats(array, (int) ld) : new Doubles(array, (int) ld);
    }

    abstract double get(int index);

    abstract void set(int index, double value);

    /**
     * {@code C[cRow.., ..] = op(A[aRow.., ..]) op(B) + beta C[cRow.., ..]}: the {@code m x n} block of {@code c}
     * starting at row {@code cRow}, from the block of {@code a} starting at row {@code aRow} (column-major, each
     * with its own leading dimension).
     */
    static void gemm(boolean transA, boolean transB, long m, long n, long k, BlasMatrix a, long aRow,
                     BlasMatrix b, double beta, BlasMatrix c, long cRow) {
        int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (c instanceof Floats) {
            openblas.cblas_sgemm(openblas.CblasColMajor, ta, tb, (int) m, (int) n, (int) k, 1f,
                    floats(a, aRow), a.ld, floats(b, 0), b.ld, (float) beta, floats(c, cRow), c.ld);
        } else {
            openblas.cblas_dgemm(openblas.CblasColMajor, ta, tb, (int) m, (int) n, (int) k, 1.0,
                    doubles(a, aRow), a.ld, doubles(b, 0), b.ld, beta, doubles(c, cRow), c.ld);
        }
    }

    /**
     * {@code x} itself when its values are one C-ordered block, else a C-ordered copy (Java loops need one). A view
     * can be such a block: its buffer's address already includes its offset.
     */
    static INDArray contiguous(INDArray x) {
        return isCBlock(x) ? x : x.dup('c');
    }

    /**
     * Whether {@code x}'s values lie in C order with no gaps. ND4J's {@code Shape.hasDefaultStridesForShape} says
     * no for any shape with a dimension of size 1 (a fresh [4, 8, 1, 1] array has strides [8, 1, 1, 1]).
     */
    static boolean isCBlock(INDArray x) {
        long expected = 1;
        for (int d = x.rank() - 1; d >= 0; d--) {
            if (x.size(d) != 1 && x.stride(d) != expected) {
                return false;
            }
            expected *= x.size(d);
        }
        return true;
    }

    /** The values of a float array, read straight from its memory (a parameter view is one C-ordered block). */
    static float[] read(INDArray values) {
        INDArray block = contiguous(values);
        float[] read = new float[Math.toIntExact(block.length())];
        new FloatPointer(block.data().addressPointer()).get(read);
        return read;
    }

    /** Writes {@code values} over a float array's, in C order: straight into its memory where that is one block. */
    static void write(INDArray target, float[] values) {
        if (isCBlock(target)) {
            new FloatPointer(target.data().addressPointer()).put(values);
        } else {
            target.assign(Nd4j.createFromArray(values).reshape(target.shape()));
        }
    }

    /** The memory of a float ND4J array whose values are one block ({@link #isCBlock}), as a Java buffer. */
    static FloatBuffer floatBuffer(INDArray array) {
        return new FloatPointer(array.data().addressPointer()).limit(array.length()).asBuffer();
    }

    private static FloatPointer floats(BlasMatrix x, long offset) {
        return new FloatPointer(x.array.data().addressPointer()).position(offset);
    }

    private static DoublePointer doubles(BlasMatrix x, long offset) {
        return new DoublePointer(x.array.data().addressPointer()).position(offset);
    }

    private static final class Floats extends BlasMatrix {
        private final FloatBuffer buffer;

        Floats(INDArray array, int ld) {
            super(array, ld);
            buffer = floatBuffer(array);
        }

        @Override
        double get(int index) {
            return buffer.get(index);
        }

        @Override
        void set(int index, double value) {
            buffer.put(index, (float) value);
        }
    }

    private static final class Doubles extends BlasMatrix {
        private final DoubleBuffer buffer;

        Doubles(INDArray array, int ld) {
            super(array, ld);
            buffer = new DoublePointer(array.data().addressPointer()).limit(array.length()).asBuffer();
        }

        @Override
        double get(int index) {
            return buffer.get(index);
        }

        @Override
        void set(int index, double value) {
            buffer.put(index, value);
        }
    }
}
