package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Activations of an NCHW layer held channels-last in memory: the array DL4J sees has the NCHW shape and NCHW
 * indexing, but its strides walk an NHWC block (a permuted view). oneDNN's fastest convolution and batch norm
 * kernels for these nets work on NHWC directly, so the fast layers pass such blocks from one to the next with no
 * reorder between them; any other layer reads the same values through the strides (docs/fast-layers.md).
 */
final class ChannelsLast {

    /** NCHW axes from the fastest-varying in an NHWC block to the slowest. */
    private static final int[] NHWC_ORDER = {1, 3, 2, 0};

    private ChannelsLast() {
    }

    /** Whether {@code x} is a rank-4 NCHW-shaped view of one NHWC block (and not also a plain NCHW block). */
    static boolean is(INDArray x) {
        if (x.rank() != 4 || BlasMatrix.isCBlock(x)) {
            return false;
        }
        long expected = 1; // the strides of an NHWC block, walked from C (fastest) to N, as isCBlock walks C order
        for (int d : NHWC_ORDER) {
            if (x.size(d) != 1 && x.stride(d) != expected) {
                return false;
            }
            expected *= x.size(d);
        }
        return true;
    }

    /**
     * A new NCHW-shaped array of this shape, held channels-last; a gradient ({@code ACTIVATION_GRAD}) is a
     * {@link HeldGradient}, whose sum with another held gradient runs flat.
     */
    static INDArray create(LayerWorkspaceMgr workspaces, ArrayType type, DataType dataType, long[] nchw) {
        INDArray held = workspaces.createUninitialized(type, dataType, new long[]{nchw[0], nchw[2], nchw[3], nchw[1]})
                .permute(0, 3, 1, 2);
        return type == ArrayType.ACTIVATION_GRAD ? HeldGradient.of(held) : held;
    }

    /** A new array of {@code x}'s shape and type, held channels-last where {@code x} is, else in C order. */
    private static INDArray like(INDArray x, LayerWorkspaceMgr workspaces, ArrayType type) {
        return is(x) ? create(workspaces, type, x.dataType(), x.shape())
                : workspaces.createUninitialized(type, x.dataType(), x.shape());
    }

    /**
     * Where an op computing in {@code source}'s layout writes its result: an array of {@code type} in that layout,
     * or, for a channels-last source whose result goes on in C order ({@code handOnHeld} false), a working array
     * that {@link #handedOn} copies.
     */
    static INDArray result(INDArray source, boolean handOnHeld, LayerWorkspaceMgr workspaces, ArrayType type,
                           ArrayType working) {
        return is(source) && !handOnHeld ? create(workspaces, working, source.dataType(), source.shape())
                : like(source, workspaces, type);
    }

    /** The result {@link #result} gave, or its copy in C order (an array of {@code type}) where asked. */
    static INDArray handedOn(INDArray result, boolean handOnHeld, LayerWorkspaceMgr workspaces, ArrayType type) {
        return is(result) && !handOnHeld
                ? workspaces.createUninitialized(type, result.dataType(), result.shape()).assign(result) : result;
    }

    /** {@code x} itself when its values are one block in C order or channels-last, else a C-ordered copy. */
    static INDArray block(INDArray x) {
        return BlasMatrix.isCBlock(x) || is(x) ? x : x.dup('c');
    }

    /**
     * {@code x}'s values held channels-last: {@code x} itself when it is, or when its maps are 1x1 and it is one C
     * block (the same memory either way: DenseNet-121's last block at a 32x32 input), else a copy.
     */
    static INDArray held(INDArray x, LayerWorkspaceMgr workspaces, ArrayType type) {
        boolean pointMaps = x.rank() == 4 && x.size(2) * x.size(3) == 1 && BlasMatrix.isCBlock(x);
        return is(x) || pointMaps ? x : create(workspaces, type, x.dataType(), x.shape()).assign(x);
    }

    /** {@code x}'s values in {@code model}'s layout (channels-last or C order): {@code x} itself when it is so. */
    static INDArray inLayoutOf(INDArray x, INDArray model, LayerWorkspaceMgr workspaces, ArrayType type) {
        if (is(model)) {
            return held(x, workspaces, type);
        }
        return BlasMatrix.isCBlock(x) ? x : workspaces.createUninitialized(type, x.dataType(), x.shape()).assign(x);
    }

    /** The values of a block in either layout as a flat view, for element-wise ops. */
    static INDArray flat(INDArray block) {
        return (is(block) ? block.permute(0, 2, 3, 1) : block).reshape(block.length());
    }

    /**
     * oneDNN's format tag for a rank-4 block with channels second in its shape ({@code NCHW} layers) or last
     * ({@code NHWC} layers): an NCHW-shaped array held channels-last is oneDNN's {@code nhwc}.
     */
    static int oneDnnTag(INDArray block, CNN2DFormat format) {
        return format == CNN2DFormat.NHWC || is(block) ? dnnl_nhwc : dnnl_nchw;
    }

    /**
     * A batch norm or ReLU layer's layouts as the plan says: it computes in NHWC where its input is held
     * channels-last (converting an input a neighbour handed in C order, so that the kernel, and its rounding, stay
     * the same) and hands its output on and its gradient back held or in C order.
     */
    static final class Layouts {
        private final boolean inputHeld;
        private final boolean holdsOutput;

        Layouts(ChannelsLastPlan plan, String layerName) {
            inputHeld = plan.inputHeld(layerName, 0);
            holdsOutput = plan.holdsOutput(layerName);
        }

        /** oneDNN's tag for the layout the layer computes a rank-4 input in. */
        int oneDnnTag(CNN2DFormat format) {
            return format == CNN2DFormat.NHWC || inputHeld ? dnnl_nhwc : dnnl_nchw;
        }

        /** The input as one block in the layout the layer computes in (a copy, of type {@code working}, if not). */
        INDArray input(INDArray x, LayerWorkspaceMgr workspaces, ArrayType working) {
            return inputHeld ? held(block(x), workspaces, working) : BlasMatrix.contiguous(x);
        }

        /** Where the layer writes its output, computed in {@code source}'s layout. */
        INDArray output(INDArray source, LayerWorkspaceMgr workspaces) {
            return result(source, holdsOutput, workspaces, ArrayType.ACTIVATIONS, ArrayType.FF_WORKING_MEM);
        }

        /** The output as it goes on. */
        INDArray handOnOutput(INDArray output, LayerWorkspaceMgr workspaces) {
            return handedOn(output, holdsOutput, workspaces, ArrayType.ACTIVATIONS);
        }

        /** Where the layer writes the input's gradient, computed in {@code source}'s layout. */
        INDArray gradient(INDArray source, LayerWorkspaceMgr workspaces) {
            return result(source, inputHeld, workspaces, ArrayType.ACTIVATION_GRAD, ArrayType.BP_WORKING_MEM);
        }

        /** The input's gradient as it goes back. */
        INDArray handBackGradient(INDArray gradient, LayerWorkspaceMgr workspaces) {
            return handedOn(gradient, inputHeld, workspaces, ArrayType.ACTIVATION_GRAD);
        }
    }
}
