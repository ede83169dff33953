package org.zoobench.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A gradient held channels-last ({@link ChannelsLast}) whose in-place sum with another gradient held the same way
 * adds the two NHWC blocks flat. DL4J sums the gradients a vertex read by several receives (a residual unit's
 * input: from its first convolution and its shortcut) with {@code addi} on the first one, and libnd4j walks
 * strided arrays element by element: five times slower than the flat sum (docs/fast-layers.md). Every other
 * operation, and a sum with an array in another layout, is ND4J's own.
 */
final class HeldGradient extends GradientArray {

    private HeldGradient(INDArray view) {
        super(view);
    }

    /** {@code view}, an NCHW-shaped view of an NHWC block, as a held gradient. */
    static INDArray of(INDArray view) {
        return new HeldGradient(view);
    }

    @Override
    public INDArray addi(INDArray other) {
        if (other.dataType() == dataType() && ChannelsLast.is(this) && ChannelsLast.is(other)
                && Arrays.equals(other.shape(), shape())) {
            ChannelsLast.flat(this).addi(ChannelsLast.flat(other));
            return this;
        }
        return super.addi(other);
    }
}
