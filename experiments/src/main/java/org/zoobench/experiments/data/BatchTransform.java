package org.zoobench.experiments.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.UserInputException;
import org.zoobench.experiments.data.DataPipeline.Resize;

/**
 * Turns a batch of native-shape examples into what a model takes: channel conversion (grey to 3 channels by
 * copying, colour to grey by luminance), resize to the model's height and width (bilinear, or zero padding
 * around the centre), per-channel normalisation, and the model's data type. Sequences pass through unchanged
 * apart from the data type.
 */
final class BatchTransform {

    private static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    private final InputShape from;
    private final InputShape to;
    private final Resize resize;
    private final Normalization normalization;
    private final DataType dataType;

    BatchTransform(InputShape from, InputShape to, Resize resize, Normalization normalization, DataType dataType) {
        check(from, to, resize);
        this.from = from;
        this.to = to;
        this.resize = resize;
        this.normalization = normalization;
        this.dataType = dataType;
    }

    private static void check(InputShape from, InputShape to, Resize resize) {
        if (from.isSequence() != to.isSequence()) {
            throw new UserInputException("the model takes " + (to.isSequence() ? "sequences" : "images") + " ("
                    + to + ") but the data set holds " + (from.isSequence() ? "sequences" : "images") + " (" + from + ")");
        }
        if (from.isSequence()) {
            if (from.features() != to.features()) {
                throw new UserInputException("the model takes sequences of " + to.features()
                        + " features per step but the data set has " + from.features());
            }
            return;
        }
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

    /** Converts native images to the model's channel count (no resize); used for statistics too. */
    INDArray convertChannels(INDArray x) {
        if (from.isSequence() || from.channels() == to.channels()) {
            return x;
        }
        if (to.channels() == 3) {
            return Nd4j.concat(1, x, x, x);
        }
        INDArray grey = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all())
                .mul(LUMA[0]);
        for (int c = 1; c < 3; c++) {
            grey.addi(x.get(NDArrayIndex.all(), NDArrayIndex.interval(c, c + 1), NDArrayIndex.all(),
                    NDArrayIndex.all()).mul(LUMA[c]));
        }
        return grey;
    }

    INDArray apply(INDArray batch) {
        if (from.isSequence()) {
            return batch.castTo(dataType);
        }
        INDArray x = resize(convertChannels(batch));
        if (x == batch) {
            x = batch.dup();
        }
        if (normalization != null) {
            normalization.apply(x);
        }
        return x.castTo(dataType);
    }

    private INDArray resize(INDArray x) {
        if (from.height() == to.height() && from.width() == to.width()) {
            return x;
        }
        if (resize == Resize.PAD) {
            long n = x.size(0);
            INDArray padded = Nd4j.zeros(x.dataType(), n, x.size(1), to.height(), to.width());
            int top = (to.height() - from.height()) / 2;
            int left = (to.width() - from.width()) / 2;
            padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + from.height()),
                    NDArrayIndex.interval(left, left + from.width())).assign(x);
            return padded;
        }
        // ND4J's resize works on NHWC; half-pixel centres match the usual (PyTorch align_corners=False) bilinear.
        INDArray nhwc = x.permute(0, 2, 3, 1).dup('c');
        INDArray resized = Nd4j.image().resizeBiLinear(nhwc, to.height(), to.width(), false, true);
        return resized.permute(0, 3, 1, 2).dup('c');
    }
}
