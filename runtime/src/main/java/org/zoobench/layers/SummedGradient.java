package org.zoobench.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of a concatenation's input, into which the input's other concatenations add their slices of their
 * own gradients themselves ({@link FastMergeVertex}: one summing reorder each). Each such concatenation hands DL4J
 * a one-value marker for that input instead of a copy of its slice, and DL4J, which sums the gradients of an
 * array read by several vertices with {@code addi} on the first one it got, adds the marker to this array: a sum
 * already done, so nothing happens. A sum with any other array, and every other operation, is ND4J's own.
 */
final class SummedGradient extends GradientArray {

    private final boolean alreadyAdded;

    private SummedGradient(INDArray array, boolean alreadyAdded) {
        super(array);
        this.alreadyAdded = alreadyAdded;
    }

    /** A new gradient of this shape, in C order, that later concatenations add into. */
    static SummedGradient create(LayerWorkspaceMgr workspaces, DataType dataType, long[] shape) {
        return new SummedGradient(workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, shape), false);
    }

    /** What a concatenation hands DL4J for an input whose gradient it added into that input's summed gradient. */
    static SummedGradient alreadyAdded(LayerWorkspaceMgr workspaces, DataType dataType) {
        return new SummedGradient(workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, 1), true);
    }

    @Override
    public INDArray addi(INDArray other) {
        if (other instanceof SummedGradient summed && summed.alreadyAdded) {
            return this;
        }
        return super.addi(other);
    }
}
