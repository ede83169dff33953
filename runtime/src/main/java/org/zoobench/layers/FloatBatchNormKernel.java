package org.zoobench.layers;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation of float32 NCHW arrays as a few fused Java loops, one channel at a time: the batch statistics
 * are two passes over the input, the forward output one more, the whole backward pass two. libnd4j has no fused
 * backward op that is fast here (its {@code batchnorm_bp} took 96 ms where the forward op took 11), and the same
 * gradient as separate native broadcast and reduction ops makes about eight passes with a strided reduction in each;
 * these loops measured 3–8x faster than those ops, forward and backward (docs/fast-layers.md). Each image's
 * {@code H x W} block of one channel is copied to a Java array, where the loops run with eight partial sums (kept in
 * float within a block, in double across blocks) so that the JIT can keep them in registers; deviations are taken
 * from the mean, not from zero, so large means cost no precision. One thread: on two cores, splitting channels
 * between threads measured no faster.
 */
final class FloatBatchNormKernel {

    private FloatBatchNormKernel() {
    }

    /** Whether these loops handle {@code x}: float32, rank 4, channels on axis 1, under 2^31 values. */
    static boolean handles(INDArray x, int channelAxis) {
        return x.dataType() == DataType.FLOAT && x.rank() == 4 && channelAxis == 1 && x.length() < Integer.MAX_VALUE;
    }

    /** The per-channel batch mean and biased variance of {@code x} (what the stock layer normalises with). */
    static void statistics(INDArray x, INDArray mean, INDArray variance) {
        Layout in = new Layout(x);
        float[] block = new float[in.spatial];
        FloatBuffer meanOut = BlasMatrix.floatBuffer(mean);
        FloatBuffer varianceOut = BlasMatrix.floatBuffer(variance);
        for (int c = 0; c < in.channels; c++) {
            double sum = 0;
            for (int n = 0; n < in.images; n++) {
                sum += sumOfDeviations(in.read(n, c, block), in.spatial, 0f);
            }
            float mu = (float) (sum / in.perChannel());
            double squares = 0;
            for (int n = 0; n < in.images; n++) {
                squares += sumOfSquaredDeviations(in.read(n, c, block), in.spatial, mu);
            }
            meanOut.put(c, mu);
            varianceOut.put(c, (float) (squares / in.perChannel()));
        }
    }

    /** {@code out = (x − mean) · gamma / sqrt(variance + eps) + beta}, per channel; gamma and beta may be null (1, 0). */
    static void normalize(INDArray x, INDArray mean, INDArray variance, INDArray gamma, INDArray beta, double eps,
                          INDArray out) {
        Layout in = new Layout(x);
        Layout result = new Layout(out);
        float[] block = new float[in.spatial];
        float[] mu = mean.toFloatVector();
        float[] var = variance.toFloatVector();
        float[] scale = gamma == null ? null : gamma.toFloatVector();
        float[] shift = beta == null ? null : beta.toFloatVector();
        for (int c = 0; c < in.channels; c++) {
            float m = mu[c];
            float a = (float) ((scale == null ? 1 : scale[c]) / Math.sqrt(var[c] + eps));
            float b = shift == null ? 0f : shift[c];
            for (int n = 0; n < in.images; n++) {
                in.read(n, c, block);
                for (int i = 0; i < in.spatial; i++) {
                    block[i] = (block[i] - m) * a + b;
                }
                result.write(n, c, block);
            }
        }
    }

    /**
     * The gradient of the training-mode forward pass from its batch statistics: with x̂ = (x − μ)/σ and m values
     * per channel, dβ = Σ g, dγ = Σ g·x̂ and dx = γ/σ · (g − dβ/m − x̂·dγ/m). {@code gamma} may be null (1);
     * {@code gradGamma} and {@code gradBeta} are written per channel.
     */
    static void gradient(INDArray x, INDArray grad, INDArray mean, INDArray variance, INDArray gamma, double eps,
                         INDArray inputGrad, float[] gradGamma, float[] gradBeta) {
        Layout in = new Layout(x);
        Layout g = new Layout(grad);
        Layout result = new Layout(inputGrad);
        float[] xBlock = new float[in.spatial];
        float[] gBlock = new float[in.spatial];
        float[] mu = mean.toFloatVector();
        float[] var = variance.toFloatVector();
        float[] scale = gamma == null ? null : gamma.toFloatVector();
        long m = in.perChannel();
        for (int c = 0; c < in.channels; c++) {
            double sumG = 0;
            double sumGDev = 0;
            for (int n = 0; n < in.images; n++) {
                g.read(n, c, gBlock);
                sumG += sumOfDeviations(gBlock, in.spatial, 0f);
                sumGDev += sumOfProducts(gBlock, in.read(n, c, xBlock), in.spatial, mu[c]);
            }
            double invStd = 1 / Math.sqrt(var[c] + eps);
            double gradGammaC = sumGDev * invStd;
            gradBeta[c] = (float) sumG;
            gradGamma[c] = (float) gradGammaC;
            double a = (scale == null ? 1 : scale[c]) * invStd;
            float gScale = (float) a;
            float devScale = (float) (-a * invStd * gradGammaC / m);
            float offset = (float) (-a * sumG / m);
            float muC = mu[c];
            for (int n = 0; n < in.images; n++) {
                g.read(n, c, gBlock);
                in.read(n, c, xBlock);
                for (int i = 0; i < in.spatial; i++) {
                    gBlock[i] = gScale * gBlock[i] + devScale * (xBlock[i] - muC) + offset;
                }
                result.write(n, c, gBlock);
            }
        }
    }

    private static double sumOfDeviations(float[] v, int length, float from) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < length; i += 8) {
            s0 += v[i] - from;
            s1 += v[i + 1] - from;
            s2 += v[i + 2] - from;
            s3 += v[i + 3] - from;
            s4 += v[i + 4] - from;
            s5 += v[i + 5] - from;
            s6 += v[i + 6] - from;
            s7 += v[i + 7] - from;
        }
        for (; i < length; i++) {
            s0 += v[i] - from;
        }
        return (double) ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    private static double sumOfSquaredDeviations(float[] v, int length, float from) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < length; i += 8) {
            float d0 = v[i] - from, d1 = v[i + 1] - from, d2 = v[i + 2] - from, d3 = v[i + 3] - from;
            float d4 = v[i + 4] - from, d5 = v[i + 5] - from, d6 = v[i + 6] - from, d7 = v[i + 7] - from;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            s4 += d4 * d4;
            s5 += d5 * d5;
            s6 += d6 * d6;
            s7 += d7 * d7;
        }
        for (; i < length; i++) {
            float d = v[i] - from;
            s0 += d * d;
        }
        return (double) ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Σ g·(x − from). */
    private static double sumOfProducts(float[] g, float[] x, int length, float from) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < length; i += 8) {
            s0 += g[i] * (x[i] - from);
            s1 += g[i + 1] * (x[i + 1] - from);
            s2 += g[i + 2] * (x[i + 2] - from);
            s3 += g[i + 3] * (x[i + 3] - from);
            s4 += g[i + 4] * (x[i + 4] - from);
            s5 += g[i + 5] * (x[i + 5] - from);
            s6 += g[i + 6] * (x[i + 6] - from);
            s7 += g[i + 7] * (x[i + 7] - from);
        }
        for (; i < length; i++) {
            s0 += g[i] * (x[i] - from);
        }
        return (double) ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** An NCHW float array's memory, read and written one image's channel ({@code H x W} values) at a time. */
    private static final class Layout {
        final int images;
        final int channels;
        final int spatial;
        private final FloatBuffer values;

        Layout(INDArray array) {
            if (!BlasMatrix.isCBlock(array)) {
                throw new IllegalArgumentException("expected a C-ordered array with default strides");
            }
            images = (int) array.size(0);
            channels = (int) array.size(1);
            spatial = (int) (array.size(2) * array.size(3));
            values = BlasMatrix.floatBuffer(array);
        }

        long perChannel() {
            return (long) images * spatial;
        }

        float[] read(int image, int channel, float[] block) {
            values.get((image * channels + channel) * spatial, block, 0, spatial);
            return block;
        }

        void write(int image, int channel, float[] block) {
            values.put((image * channels + channel) * spatial, block, 0, spatial);
        }
    }
}
