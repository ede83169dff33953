package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One convolution layer's oneDNN primitives for one input shape and layout: forward, backward to the input and
 * backward to the weights and bias. Where the input or the output is held channels-last ({@link ChannelsLast}, as
 * {@link ChannelsLastPlan} decides), the activations are computed in oneDNN's {@code nhwc}, whose direct
 * kernels need no reorder and whose batch norm is fast too; between NCHW arrays, in the blocked layouts oneDNN's
 * direct kernels choose, with reorders from and to NCHW around them, except 1x1 kernels, which stay in NCHW, where
 * oneDNN's gemm kernel needs no reorders and is faster than the blocked one with them. Weights are reordered from
 * DL4J's OIHW into the layout the kernels choose, and their gradient back. Built on first use and kept, since
 * building them costs far more than running them. Direct kernels always: libnd4j lets oneDNN pick Winograd for the
 * backward pass, which is slower here (docs/fast-layers.md).
 */
final class OneDnnConvolution {

    /** Scratch buffer numbers: at most four blocked copies are alive at once within a pass. */
    private static final int SLOT_A = 0;
    private static final int SLOT_B = 1;
    private static final int SLOT_C = 2;
    private static final int SLOT_D = 3;

    private final OneDnn.Natives natives = new OneDnn.Natives();
    private final boolean withBias;
    private final dnnl_memory_desc_t srcPlain;
    private final dnnl_memory_desc_t weightsPlain;
    private final dnnl_memory_desc_t dstPlain;
    private final dnnl_memory_desc_t biasDesc;
    private final dnnl_memory_desc_t srcComputed;
    private final dnnl_memory_desc_t weightsComputed;
    private final dnnl_memory_desc_t dstComputed;
    private final long[] inputDims;
    private final long[] outputDims;
    private final long[] stride;
    private final long[] dilate;
    private final long[] padLeft;
    private final long[] padRight;

    private final dnnl_primitive_desc forwardPd;
    private final dnnl_primitive forward;
    private final Operand source;
    private final Operand weights;
    /** The weights for inference passes, their kernel-layout copy kept between passes (made on first use). */
    private Operand inferenceWeights;
    private final Operand output;
    private final dnnl_memory bias;
    /**
     * Built on the first folded inference pass ({@link InferenceFolding}): without and with the ReLU, writing NCHW
     * and channels-last.
     */
    private final Folded[] folded = new Folded[4];
    /** Built on the first backward pass (inference never needs one), per layout of the gradients. */
    private final Map<List<Integer>, Backward> backwards = new HashMap<>();

    /**
     * @param inputDims  input as N, C, H, W whatever the layout; {@code outputDims} likewise
     * @param inputTag   the input's layout in memory, oneDNN's {@code nchw} or {@code nhwc}; {@code outputTag}
     *                   the output's
     * @param nhwc       whether the kernels compute in NHWC, else in the blocked layouts they choose
     * @param padding    top-left padding (the bottom-right padding follows from the output size)
     */
    OneDnnConvolution(long[] inputDims, int inputTag, long[] weightDims, long[] outputDims, int outputTag,
                      boolean nhwc, boolean withBias, int[] strides, int[] padding, int[] dilation) {
        this.withBias = withBias;
        this.inputDims = inputDims;
        this.outputDims = outputDims;
        srcPlain = OneDnn.desc(inputDims, inputTag);
        weightsPlain = OneDnn.desc(weightDims, dnnl_oihw);
        dstPlain = OneDnn.desc(outputDims, outputTag);
        biasDesc = withBias ? OneDnn.desc(new long[]{outputDims[1]}, dnnl_x) : null;
        if (nhwc) {
            srcComputed = OneDnn.desc(inputDims, dnnl_nhwc);
            dstComputed = OneDnn.desc(outputDims, dnnl_nhwc);
            weightsComputed = OneDnn.desc(weightDims, dnnl_format_tag_any);
        } else {
            boolean pointwise = weightDims[2] == 1 && weightDims[3] == 1;
            srcComputed = pointwise ? srcPlain : OneDnn.desc(inputDims, dnnl_format_tag_any);
            dstComputed = pointwise ? dstPlain : OneDnn.desc(outputDims, dnnl_format_tag_any);
            weightsComputed = pointwise ? weightsPlain : OneDnn.desc(weightDims, dnnl_format_tag_any);
        }
        stride = new long[]{strides[0], strides[1]};
        dilate = new long[]{dilation[0] - 1L, dilation[1] - 1L};
        padLeft = new long[]{padding[0], padding[1]};
        padRight = rightPadding(inputDims, weightDims, outputDims, strides, padding, dilation);

        dnnl_convolution_desc_t forwardDesc = new dnnl_convolution_desc_t();
        OneDnn.check(dnnl_dilated_convolution_forward_desc_init(forwardDesc, dnnl_forward_training,
                dnnl_convolution_direct, srcComputed, weightsComputed, biasDesc, dstComputed, stride, dilate, padLeft,
                padRight),
                "convolution forward descriptor");
        forwardPd = natives.primitiveDesc(forwardDesc, null);
        forward = natives.primitive(forwardPd);
        source = Operand.input(natives, srcPlain, query(forwardPd, dnnl_query_src_md), SLOT_A);
        weights = Operand.input(natives, weightsPlain, query(forwardPd, dnnl_query_weights_md), SLOT_B);
        output = Operand.output(natives, dstPlain, query(forwardPd, dnnl_query_dst_md), SLOT_C);
        bias = withBias ? natives.memory(biasDesc) : null;
        natives.freeWith(this);
    }

    private static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    /**
     * {@code out = conv(input, weights) + bias}; input and output one block each in the layouts this was built for,
     * weights and bias one C-ordered block.
     */
    void forward(INDArray input, INDArray weightValues, INDArray biasValues, INDArray out) {
        forward(input, weights.in(weightValues), biasValues, out);
    }

    /**
     * {@link #forward} in an inference pass, with weights whose values are numbered by {@code weightsVersion}
     * ({@link ParameterSnapshot}): their copy in the kernel's layout is made again only when the number changes.
     */
    void inferenceForward(INDArray input, INDArray weightValues, long weightsVersion, INDArray biasValues,
                          INDArray out) {
        if (inferenceWeights == null) {
            inferenceWeights = Operand.keptInput(natives, weightsPlain, query(forwardPd, dnnl_query_weights_md));
        }
        forward(input, inferenceWeights.in(weightValues, weightsVersion), biasValues, out);
    }

    private void forward(INDArray input, dnnl_memory w, INDArray biasValues, INDArray out) {
        dnnl_memory src = source.in(input);
        dnnl_memory dst = output.out(out);
        if (withBias) {
            OneDnn.bind(bias, biasValues);
            OneDnn.execute(forward, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, w, DNNL_ARG_BIAS, bias, DNNL_ARG_DST, dst);
        } else {
            OneDnn.execute(forward, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, w, DNNL_ARG_DST, dst);
        }
        output.finish();
    }

    /**
     * {@code out = conv(input, weights) + bias}, rectified where {@code rectify} says, by an inference primitive
     * with a bias and, for the ReLU, an eltwise post-op: the convolution with its batch norm (and ReLU) folded into
     * {@code weights} and {@code bias} ({@link InferenceFolding}); arrays as for {@link #forward}, except that the
     * output is channels-last or NCHW as {@code heldOutput} says, whatever the layout this was built for. The
     * weights' copy in the kernel's layout is made again only when {@code weightsVersion} changes.
     */
    void foldedInference(INDArray input, INDArray weightValues, long weightsVersion, INDArray biasValues,
                         INDArray out, boolean rectify, boolean heldOutput) {
        int variant = (rectify ? 1 : 0) + (heldOutput ? 2 : 0);
        if (folded[variant] == null) {
            folded[variant] = new Folded(rectify, heldOutput);
        }
        Folded f = folded[variant];
        dnnl_memory src = f.source.in(input);
        dnnl_memory w = f.weights.in(weightValues, weightsVersion);
        dnnl_memory dst = f.output.out(out);
        OneDnn.bind(f.bias, biasValues);
        OneDnn.execute(f.primitive, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, w, DNNL_ARG_BIAS, f.bias, DNNL_ARG_DST, dst);
        f.output.finish();
    }

    /** The folded inference primitive and its operands, computing in the layouts the training forward pass does. */
    private final class Folded {
        private final dnnl_primitive primitive;
        private final Operand source;
        private final Operand weights;
        private final Operand output;
        private final dnnl_memory bias;

        Folded(boolean rectify, boolean heldOutput) {
            dnnl_memory_desc_t biasLayout = OneDnn.desc(new long[]{outputDims[1]}, dnnl_x);
            dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_dilated_convolution_forward_desc_init(desc, dnnl_forward_inference,
                    dnnl_convolution_direct, srcComputed, weightsComputed, biasLayout, dstComputed, stride, dilate,
                    padLeft, padRight), "folded convolution descriptor");
            dnnl_primitive_desc pd = natives.primitiveDesc(desc, rectify, null);
            primitive = natives.primitive(pd);
            source = Operand.input(natives, srcPlain, query(pd, dnnl_query_src_md), SLOT_A);
            weights = Operand.keptInput(natives, weightsPlain, query(pd, dnnl_query_weights_md));
            output = Operand.output(natives, OneDnn.desc(outputDims, heldOutput ? dnnl_nhwc : dnnl_nchw),
                    query(pd, dnnl_query_dst_md), SLOT_C);
            bias = natives.memory(biasLayout);
        }
    }

    /**
     * The bottom and right padding that makes oneDNN's output size equal DL4J's: negative where DL4J's truncating
     * mode leaves input rows or columns that no window reaches (a 1x1 stride-2 shortcut on an even side), which
     * oneDNN takes.
     */
    private static long[] rightPadding(long[] inputDims, long[] weightDims, long[] outputDims, int[] strides, int[] padding,
                               int[] dilation) {
        long[] padRight = new long[2];
        for (int d = 0; d < 2; d++) {
            long kernelExtent = (weightDims[2 + d] - 1) * dilation[d] + 1;
            padRight[d] = (outputDims[2 + d] - 1) * strides[d] + kernelExtent - inputDims[2 + d] - padding[d];
        }
        return padRight;
    }

    /**
     * The gradients of the loss with respect to the input (skipped where {@code inputGrad} is null), the weights and
     * the bias, given the input, the weights and the gradient with respect to the output ({@code delta}); the input
     * one block in the layout this was built for, {@code delta} and the input's gradient one block each in the layouts their tags name, weights, bias and
     * their gradients one C-ordered block.
     */
    void backward(INDArray input, INDArray weightValues, INDArray delta, int deltaTag, INDArray inputGrad,
                  int inputGradTag, INDArray weightGrad, INDArray biasGrad) {
        backwards.computeIfAbsent(List.of(deltaTag, inputGradTag), key -> new Backward(deltaTag, inputGradTag))
                .run(input, weightValues, delta, inputGrad, weightGrad, biasGrad);
    }

    /** The two backward primitives, to the input and to the weights and bias, with their operands. */
    private final class Backward {
        private final dnnl_primitive toInput;
        private final Operand outputGradient;
        private final Operand weightsForInput;
        private final Operand inputGradient;

        private final dnnl_primitive toWeights;
        private final Operand sourceForWeights;
        private final Operand outputGradientForWeights;
        private final boolean sharesOutputGradient;
        private final Operand weightsGradient;
        private final dnnl_memory biasGradient;

        Backward(int deltaTag, int inputGradTag) {
            dnnl_memory_desc_t deltaPlain = OneDnn.desc(outputDims, deltaTag);
            dnnl_convolution_desc_t dataDesc = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_dilated_convolution_backward_data_desc_init(dataDesc, dnnl_convolution_direct,
                    srcComputed, weightsComputed, dstComputed, stride, dilate, padLeft, padRight),
                    "convolution backward data descriptor");
            dnnl_primitive_desc dataPd = natives.primitiveDesc(dataDesc, forwardPd);
            toInput = natives.primitive(dataPd);
            outputGradient = Operand.input(natives, deltaPlain, query(dataPd, dnnl_query_diff_dst_md), SLOT_A);
            weightsForInput = Operand.input(natives, weightsPlain, query(dataPd, dnnl_query_weights_md), SLOT_B);
            inputGradient = Operand.output(natives, OneDnn.desc(inputDims, inputGradTag),
                    query(dataPd, dnnl_query_diff_src_md), SLOT_C);

            dnnl_convolution_desc_t weightsDesc = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_dilated_convolution_backward_weights_desc_init(weightsDesc, dnnl_convolution_direct,
                    srcComputed, weightsComputed, biasDesc, dstComputed, stride, dilate, padLeft, padRight),
                    "convolution backward weights descriptor");
            dnnl_primitive_desc weightsPd = natives.primitiveDesc(weightsDesc, forwardPd);
            toWeights = natives.primitive(weightsPd);
            sourceForWeights = Operand.input(natives, srcPlain, query(weightsPd, dnnl_query_src_md), SLOT_C);
            dnnl_memory_desc_t gradientLayout = query(weightsPd, dnnl_query_diff_dst_md);
            sharesOutputGradient = OneDnn.same(gradientLayout, query(dataPd, dnnl_query_diff_dst_md));
            outputGradientForWeights = Operand.input(natives, deltaPlain, gradientLayout, SLOT_D);
            weightsGradient = Operand.output(natives, weightsPlain, query(weightsPd, dnnl_query_diff_weights_md),
                    SLOT_B);
            biasGradient = withBias ? natives.memory(biasDesc) : null;
        }

        void run(INDArray input, INDArray weightValues, INDArray delta, INDArray inputGrad, INDArray weightGrad,
                 INDArray biasGrad) {
            dnnl_memory diffDst = outputGradient.in(delta);
            if (inputGrad != null) {
                dnnl_memory w = weightsForInput.in(weightValues);
                dnnl_memory diffSrc = inputGradient.out(inputGrad);
                OneDnn.execute(toInput, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, w, DNNL_ARG_DIFF_SRC, diffSrc);
                inputGradient.finish();
            }

            dnnl_memory src = sourceForWeights.in(input);
            dnnl_memory diffDstForWeights = sharesOutputGradient ? diffDst : outputGradientForWeights.in(delta);
            dnnl_memory diffWeights = weightsGradient.out(weightGrad);
            if (withBias) {
                OneDnn.bind(biasGradient, biasGrad);
                OneDnn.execute(toWeights, DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDstForWeights,
                        DNNL_ARG_DIFF_WEIGHTS, diffWeights, DNNL_ARG_DIFF_BIAS, biasGradient);
            } else {
                OneDnn.execute(toWeights, DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDstForWeights,
                        DNNL_ARG_DIFF_WEIGHTS, diffWeights);
            }
            weightsGradient.finish();
        }
    }

    /**
     * One argument of a primitive: its plain memory, bound to a DL4J array each call, and, where oneDNN wants
     * another layout, a blocked copy with the reorder between the two: in a scratch buffer, or, for weights kept
     * between inference passes, in a buffer of its own.
     */
    private static final class Operand {
        /** The slot of a blocked copy kept in its own buffer. */
        private static final int OWN_BUFFER = -1;

        private final dnnl_memory plain;
        private final dnnl_memory_desc_t blockedLayout;
        private final dnnl_memory blocked;
        private final dnnl_primitive reorder;
        private final int slot;
        /** The version of the values a kept blocked copy was made from; 0: none made yet. */
        private long madeFrom;

        private Operand(dnnl_memory plain, dnnl_memory_desc_t blockedLayout, dnnl_memory blocked,
                        dnnl_primitive reorder, int slot) {
            this.plain = plain;
            this.blockedLayout = blockedLayout;
            this.blocked = blocked;
            this.reorder = reorder;
            this.slot = slot;
        }

        static Operand input(OneDnn.Natives natives, dnnl_memory_desc_t plainLayout, dnnl_memory_desc_t wanted,
                             int slot) {
            return of(natives, plainLayout, wanted, slot, true);
        }

        static Operand output(OneDnn.Natives natives, dnnl_memory_desc_t plainLayout, dnnl_memory_desc_t wanted,
                              int slot) {
            return of(natives, plainLayout, wanted, slot, false);
        }

        /** An input whose blocked copy is kept: made only when its values change ({@link #in(INDArray, long)}). */
        static Operand keptInput(OneDnn.Natives natives, dnnl_memory_desc_t plainLayout, dnnl_memory_desc_t wanted) {
            return of(natives, plainLayout, wanted, OWN_BUFFER, true);
        }

        private static Operand of(OneDnn.Natives natives, dnnl_memory_desc_t plainLayout, dnnl_memory_desc_t wanted,
                                  int slot, boolean isInput) {
            dnnl_memory plain = natives.memory(plainLayout);
            if (OneDnn.same(plainLayout, wanted)) {
                return new Operand(plain, null, null, null, slot);
            }
            dnnl_memory blocked = slot == OWN_BUFFER ? natives.ownedMemory(wanted) : natives.memory(wanted);
            dnnl_primitive reorder = isInput ? natives.reorder(plainLayout, wanted) : natives.reorder(wanted, plainLayout);
            return new Operand(plain, wanted, blocked, reorder, slot);
        }

        /** The memory the primitive reads: {@code values} itself, or its blocked copy. */
        dnnl_memory in(INDArray values) {
            OneDnn.bind(plain, values);
            if (blocked == null) {
                return plain;
            }
            OneDnn.bindScratch(blocked, blockedLayout, slot);
            OneDnn.reorder(reorder, plain, blocked);
            return blocked;
        }

        /**
         * The memory the primitive reads for a kept input: {@code values} itself, or its blocked copy, made again
         * only where {@code version} ({@link ParameterSnapshot}) differs from the one it was last made from.
         */
        dnnl_memory in(INDArray values, long version) {
            OneDnn.bind(plain, values);
            if (blocked == null) {
                return plain;
            }
            if (version != madeFrom) {
                OneDnn.reorder(reorder, plain, blocked);
                madeFrom = version;
            }
            return blocked;
        }

        /** The memory the primitive writes; {@link #finish()} then brings a blocked result to {@code values}. */
        dnnl_memory out(INDArray values) {
            OneDnn.bind(plain, values);
            if (blocked == null) {
                return plain;
            }
            OneDnn.bindScratch(blocked, blockedLayout, slot);
            return blocked;
        }

        void finish() {
            if (blocked != null) {
                OneDnn.reorder(reorder, blocked, plain);
            }
        }
    }
}
