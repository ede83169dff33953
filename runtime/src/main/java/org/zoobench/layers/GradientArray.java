package org.zoobench.layers;

import com.google.flatbuffers.FlatBufferBuilder;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.BaseNDArray;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * An ND4J array over another array's memory whose subclass changes how DL4J's in-place gradient sum
 * ({@code addi}) treats it ({@link HeldGradient}, {@link SummedGradient}); what ND4J's own array classes otherwise
 * do, for a float gradient.
 */
abstract class GradientArray extends BaseNDArray {

    GradientArray(INDArray array) {
        super(array.data(), array.shape(), array.stride(), array.offset(), array.ordering(), array.dataType());
    }

    @Override
    public INDArray unsafeDuplication() {
        return dup();
    }

    @Override
    public INDArray unsafeDuplication(boolean blocking) {
        return dup();
    }

    @Override
    public LongShapeDescriptor shapeDescriptor() {
        return LongShapeDescriptor.fromShape(shape(), stride(), elementWiseStride(), ordering(), dataType(),
                isEmpty());
    }

    @Override
    protected int stringBuffer(FlatBufferBuilder builder, DataBuffer buffer) {
        throw new UnsupportedOperationException("a gradient holds floating-point values, not strings");
    }

    @Override
    public String getString(long index) {
        throw new UnsupportedOperationException("a gradient holds floating-point values, not strings");
    }
}
