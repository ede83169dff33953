package org.zoobench.experiments.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;
import org.zoobench.experiments.data.DataPipeline.Resize;
import org.zoobench.experiments.results.Augmentation;
import org.zoobench.zoo.InputShape;

import java.nio.FloatBuffer;
import java.util.Random;

/**
 * Turns chosen examples of a native-shape data set into a batch a model takes: channel conversion (grey to 3
 * channels by copying, colour to grey by luminance), per-channel normalisation, resize to the model's height
 * and width (bilinear, or padding around the centre), and the model's data type. Sequences are only gathered
 * and cast. Training batches may also be cropped at random offsets and flipped ({@link Augmentation}).
 * <p>
 * All of it happens in one plain Java pass per example over the data set's memory, on the prefetch thread:
 * for batches of small images that is far cheaper than a chain of ND4J ops (each with its own dispatch cost).
 */
final class BatchTransform {

    static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    /** The model's image shape; null for sequences, whose batches are the examples as they are. */
    private final InputShape.Image to;
    private final Resize resize;
    private final Normalization normalization;
    private final DataType dataType;
    /** Crops and flips of every batch this transform makes; null for whole images. */
    private final Augmentation augmentation;

    BatchTransform(InputShape from, InputShape to, Resize resize, Normalization normalization, DataType dataType) {
        this(from, to, resize, normalization, dataType, null);
    }

    BatchTransform(InputShape from, InputShape to, Resize resize, Normalization normalization, DataType dataType,
                   Augmentation augmentation) {
        this.to = checkedImage(from, to, resize);
        if (this.to == null && augmentation != null) {
            throw new UserInputException("random crops and flips apply to images, not to sequences (" + to + ")");
        }
        this.resize = resize;
        this.normalization = normalization;
        this.dataType = dataType;
        this.augmentation = augmentation;
    }

    /** Fails with one line where the data cannot become the model's input; the model's image shape, or null. */
    private static InputShape.Image checkedImage(InputShape from, InputShape to, Resize resize) {
        if (from instanceof InputShape.Sequence f && to instanceof InputShape.Sequence t) {
            if (f.features() != t.features()) {
                throw new UserInputException("the model takes sequences of " + t.features()
                        + " features per step but the data set has " + f.features());
            }
            return null;
        }
        if (!(from instanceof InputShape.Image f && to instanceof InputShape.Image t)) {
            throw new UserInputException("the model takes " + kind(to) + " (" + to + ") but the data set holds "
                    + kind(from) + " (" + from + ")");
        }
        check(f, t, resize);
        return t;
    }

    private static String kind(InputShape shape) {
        return shape instanceof InputShape.Sequence ? "sequences" : "images";
    }

    private static void check(InputShape.Image from, InputShape.Image to, Resize resize) {
        boolean channelsOk = from.channels() == to.channels()
                || (from.channels() == 1 && to.channels() == 3) || (from.channels() == 3 && to.channels() == 1);
        if (!channelsOk) {
            throw new UserInputException("the model takes " + to.channels() + "-channel images but the data set has "
                    + from.channels() + " channels; only grey<->colour conversion is supported");
        }
        if (resize == Resize.PAD && (to.height() < from.height() || to.width() < from.width())) {
            throw new UserInputException("cannot pad " + from.height() + "x" + from.width() + " images to the smaller "
                    + to.height() + "x" + to.width() + "; use bilinear resizing instead");
        }
    }

    /** Native images converted to the model's channel count, whole; used to measure statistics. */
    INDArray convertChannels(INDArray images) {
        return gather(floats(images), images.shape(), allRows(images.size(0)), null, null);
    }

    /**
     * The batch of examples {@code rows} of {@code source} (a contiguous float array from {@link #floats}); crops and
     * flips, if this transform makes them, are drawn from {@code random}.
     */
    INDArray apply(FloatBuffer source, long[] sourceShape, int[] rows, Random random) {
        if (to == null) {
            return Gather.rows(source, sourceShape, rows).castTo(dataType);
        }
        return gather(source, sourceShape, rows, normalization, augmentation == null ? null : random)
                .castTo(dataType);
    }

    /** A float view of a contiguous c-order float array's memory. */
    static FloatBuffer floats(INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.isView() || array.ordering() != 'c') {
            throw new IllegalArgumentException("expected a contiguous c-order float array, got " + array.shapeInfoToString());
        }
        return array.data().asNioFloat();
    }

    private static int[] allRows(long n) {
        int[] rows = new int[Math.toIntExact(n)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /**
     * For each example and model channel: take the source plane (or the luminance of the colour planes), bring
     * it to the model's size, crop and flip it (with {@code random}: one offset and flip per example, shared by its
     * channels), then normalise. A grey plane is resized once and shared by the three copies.
     */
    private INDArray gather(FloatBuffer source, long[] shape, int[] rows, Normalization norm, Random random) {
        int inC = (int) shape[1];
        int inH = (int) shape[2];
        int inW = (int) shape[3];
        int outC = to.channels();
        boolean sameSize = inH == to.height() && inW == to.width();
        int outH = sameSize ? inH : to.height();
        int outW = sameSize ? inW : to.width();
        int inPlane = inH * inW;
        int outPlane = outH * outW;
        Resizer resizer = sameSize ? null : new Resizer(inH, inW, outH, outW, resize);
        float[] out = new float[rows.length * outC * outPlane];
        float[] in = new float[inC * inPlane];
        float[] grey = inC == 3 && outC == 1 ? new float[inPlane] : null;
        float[] sized = sameSize ? null : new float[outPlane];
        int pad = random == null ? 0 : augmentation.cropPadding();
        for (int k = 0; k < rows.length; k++) {
            source.get(rows[k] * in.length, in, 0, in.length);
            int dy = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
            int dx = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
            boolean flip = random != null && augmentation.horizontalFlips() && random.nextBoolean();
            for (int c = 0; c < outC; c++) {
                float[] plane = in;
                int offset = inC == 1 ? 0 : c * inPlane;
                if (grey != null) {
                    for (int p = 0; p < inPlane; p++) {
                        grey[p] = LUMA[0] * in[p] + LUMA[1] * in[inPlane + p] + LUMA[2] * in[2 * inPlane + p];
                    }
                    plane = grey;
                    offset = 0;
                }
                if (resizer != null) {
                    if (!(inC == 1 && c > 0)) { // a grey plane shown as colour is resized once
                        resizer.resize(plane, offset, sized);
                    }
                    plane = sized;
                    offset = 0;
                }
                float mean = norm == null ? 0 : norm.mean()[c];
                float scale = norm == null ? 1 : 1 / norm.std()[c];
                int o = (k * outC + c) * outPlane;
                if (random == null) {
                    for (int p = 0; p < outPlane; p++) {
                        out[o + p] = (plane[offset + p] - mean) * scale;
                    }
                    continue;
                }
                // Output pixel (y, x) shows (y + dy, x' + dx) of the plane, x' mirrored if flipped; black outside.
                for (int y = 0; y < outH; y++) {
                    int sy = y + dy;
                    for (int x = 0; x < outW; x++) {
                        int sx = (flip ? outW - 1 - x : x) + dx;
                        float v = sy >= 0 && sy < outH && sx >= 0 && sx < outW ? plane[offset + sy * outW + sx] : 0f;
                        out[o + y * outW + x] = (v - mean) * scale;
                    }
                }
            }
        }
        return Nd4j.create(out, new long[]{rows.length, outC, outH, outW}, 'c');
    }

    /**
     * Brings one plane to another size. Bilinear uses half-pixel centres and clamps at the border, the usual
     * definition (PyTorch's align_corners=False, TensorFlow's half_pixel_centers); padding centres the plane on
     * black (0, before normalisation).
     */
    static final class Resizer {
        private final int inH;
        private final int inW;
        private final int outH;
        private final int outW;
        private final Resize mode;
        private final int[] y0;
        private final int[] y1;
        private final float[] wy;
        private final int[] x0;
        private final int[] x1;
        private final float[] wx;

        Resizer(int inH, int inW, int outH, int outW, Resize mode) {
            this.inH = inH;
            this.inW = inW;
            this.outH = outH;
            this.outW = outW;
            this.mode = mode;
            y0 = new int[outH];
            y1 = new int[outH];
            wy = new float[outH];
            x0 = new int[outW];
            x1 = new int[outW];
            wx = new float[outW];
            taps(inH, outH, y0, y1, wy);
            taps(inW, outW, x0, x1, wx);
        }

        private static void taps(int in, int out, int[] lo, int[] hi, float[] weight) {
            double scale = (double) in / out;
            for (int d = 0; d < out; d++) {
                double s = Math.max(0, (d + 0.5) * scale - 0.5);
                int l = Math.min((int) s, in - 1);
                lo[d] = l;
                hi[d] = Math.min(l + 1, in - 1);
                weight[d] = (float) (s - l);
            }
        }

        void resize(float[] src, int offset, float[] dst) {
            if (mode == Resize.PAD) {
                java.util.Arrays.fill(dst, 0f);
                int top = (outH - inH) / 2;
                int left = (outW - inW) / 2;
                for (int y = 0; y < inH; y++) {
                    System.arraycopy(src, offset + y * inW, dst, (top + y) * outW + left, inW);
                }
                return;
            }
            for (int y = 0; y < outH; y++) {
                int r0 = offset + y0[y] * inW;
                int r1 = offset + y1[y] * inW;
                float fy = wy[y];
                for (int x = 0; x < outW; x++) {
                    float top = src[r0 + x0[x]] + wx[x] * (src[r0 + x1[x]] - src[r0 + x0[x]]);
                    float bottom = src[r1 + x0[x]] + wx[x] * (src[r1 + x1[x]] - src[r1 + x0[x]]);
                    dst[y * outW + x] = top + fy * (bottom - top);
                }
            }
        }
    }
}
