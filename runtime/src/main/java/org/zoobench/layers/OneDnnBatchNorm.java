package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_0;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward_data;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_mul;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_fuse_norm_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_global_stats;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_scale;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_shift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch norm layer's oneDNN primitives for one input shape and layout (NCHW; NHWC, which includes NCHW
 * activations held channels-last ({@link ChannelsLast}) and is where oneDNN has its fast kernels; or a batch of
 * vectors): the training forward pass, which also writes the batch mean and biased variance the stock layer
 * updates its running statistics from; the inference forward pass from given statistics; and the backward pass
 * from the training pass's statistics, with the gradients of gamma and beta where the layer learns them; for a
 * layer whose ReLU is folded into it ({@link ReluFolding}), also the training pass that rectifies as it writes; and
 * for one whose ReLU is folded in inference ({@link InferenceFolding}), the inference pass that rectifies.
 * Multithreaded, unlike the single-threaded Java loops it replaced.
 *
 * <p>That rectifying inference pass is oneDNN's batch norm with the ReLU fused where oneDNN has an AVX-512 kernel
 * for it (on channels-last data, a multiple of 16 channels: every DenseNet-121 concatenation), else a per-channel
 * scale and shift, {@code max(0, x·s + t)} with {@code s = γ/√(var + ε)} and {@code t = β − μ·s}, as one oneDNN
 * binary primitive (a multiplication by s with the addition of t and the ReLU as post-ops): for other channel counts
 * oneDNN's batch norm takes its AVX2 or SSE4.1 kernels or a plain loop (a multiple of 8, of 4, or neither, as on
 * every concatenation of DenseNet-BC's last dense block, 150 + 12l channels), and the binary kernel took half their
 * time over a DenseNet-BC-100 pass (docs/fast-layers.md). Where oneDNN has only its reference binary kernel for the
 * shape (few channels on large maps), the batch norm with the ReLU fused computes it whatever its kernel.
 */
final class OneDnnBatchNorm {

    private final boolean scaled;
    private final dnnl_primitive training;
    /** The training pass with the ReLU applied, or null; its ReLU mask goes to a scratch workspace, unused. */
    private final dnnl_primitive rectifying;
    private final dnnl_memory_desc_t rectifyingWorkspaceDesc;
    private final dnnl_memory rectifyingWorkspace;
    private final dnnl_primitive inference;
    private final dnnl_primitive backward;
    private final dnnl_memory source;
    private final dnnl_memory output;
    private final dnnl_memory outputGradient;
    private final dnnl_memory inputGradient;
    private final dnnl_memory mean;
    private final dnnl_memory variance;
    private final dnnl_memory scale;
    private final dnnl_memory shift;
    private final dnnl_memory scaleGradient;
    private final dnnl_memory shiftGradient;
    private final double eps;
    /** The inference pass with the ReLU applied, or null: a scaling (below) or a batch norm with the ReLU fused. */
    private final dnnl_primitive rectifyingInference;
    /** The per-channel factors s and terms t of the scaling, or null where the batch norm computes that pass. */
    private final FloatPointer channelFactors;
    private final FloatPointer channelTerms;
    private final dnnl_memory factors;
    private final dnnl_memory terms;

    /**
     * @param dims   N, C, H, W (or N, C for vectors), whatever the layout in memory
     * @param tag    the layout in memory: oneDNN's {@code nchw}, {@code nhwc} or {@code ab}
     * @param scaled whether the layer learns gamma and beta (not locked)
     * @param rectifies whether to build the training pass that applies a ReLU too
     * @param rectifiesInference whether to build the inference pass that applies a ReLU too
     */
    OneDnnBatchNorm(long[] dims, int tag, double eps, boolean scaled, boolean rectifies, boolean rectifiesInference) {
        this.scaled = scaled;
        this.eps = eps;
        OneDnn.Natives natives = new OneDnn.Natives();
        dnnl_memory_desc_t data = OneDnn.desc(dims, tag);
        dnnl_memory_desc_t perChannel = OneDnn.desc(new long[]{dims[1]}, dnnl_a);
        int scaleShift = scaled ? dnnl_use_scale | dnnl_use_shift : 0;

        dnnl_batch_normalization_desc_t trainingDesc = new dnnl_batch_normalization_desc_t();
        OneDnn.check(dnnl_batch_normalization_forward_desc_init(trainingDesc, dnnl_forward_training, data,
                (float) eps, scaleShift), "batch norm training descriptor");
        dnnl_primitive_desc trainingPd = natives.primitiveDesc(trainingDesc, null);
        training = natives.primitive(trainingPd);

        if (rectifies) {
            dnnl_batch_normalization_desc_t rectifyingDesc = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_forward_desc_init(rectifyingDesc, dnnl_forward_training, data,
                    (float) eps, scaleShift | dnnl_fuse_norm_relu), "batch norm with ReLU training descriptor");
            dnnl_primitive_desc rectifyingPd = natives.primitiveDesc(rectifyingDesc, null);
            rectifying = natives.primitive(rectifyingPd);
            rectifyingWorkspaceDesc = dnnl_primitive_desc_query_md(rectifyingPd, dnnl_query_workspace_md, 0);
            rectifyingWorkspace = natives.memory(rectifyingWorkspaceDesc);
        } else {
            rectifying = null;
            rectifyingWorkspaceDesc = null;
            rectifyingWorkspace = null;
        }

        dnnl_batch_normalization_desc_t inferenceDesc = new dnnl_batch_normalization_desc_t();
        OneDnn.check(dnnl_batch_normalization_forward_desc_init(inferenceDesc, dnnl_forward_inference, data,
                (float) eps, scaleShift | dnnl_use_global_stats), "batch norm inference descriptor");
        inference = natives.primitive(natives.primitiveDesc(inferenceDesc, null));

        dnnl_primitive rectifyingPass = null;
        FloatPointer perChannelFactors = null;
        FloatPointer perChannelTerms = null;
        dnnl_memory factorsMemory = null;
        dnnl_memory termsMemory = null;
        if (rectifiesInference) {
            long[] broadcastDims = new long[dims.length];
            Arrays.fill(broadcastDims, 1);
            broadcastDims[1] = dims[1];
            dnnl_memory_desc_t broadcast = OneDnn.desc(broadcastDims, tag);
            dnnl_binary_desc_t scalingDesc = new dnnl_binary_desc_t();
            OneDnn.check(dnnl_binary_desc_init(scalingDesc, dnnl_binary_mul, data, broadcast, data),
                    "per-channel scaling descriptor");
            dnnl_primitive_desc scalingPd = natives.primitiveDesc(scalingDesc, broadcast, true, null);
            dnnl_batch_normalization_desc_t fusedDesc = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_forward_desc_init(fusedDesc, dnnl_forward_inference, data,
                    (float) eps, scaleShift | dnnl_use_global_stats | dnnl_fuse_norm_relu),
                    "batch norm with ReLU inference descriptor");
            dnnl_primitive_desc fusedPd = natives.primitiveDesc(fusedDesc, null);
            if (OneDnn.implementation(fusedPd).contains("avx512")
                    || OneDnn.implementation(scalingPd).startsWith("ref")) {
                rectifyingPass = natives.primitive(fusedPd);
            } else {
                rectifyingPass = natives.primitive(scalingPd);
                perChannelFactors = new FloatPointer(dims[1]);
                perChannelTerms = new FloatPointer(dims[1]);
                factorsMemory = natives.memory(broadcast, perChannelFactors);
                termsMemory = natives.memory(broadcast, perChannelTerms);
            }
        }
        rectifyingInference = rectifyingPass;
        channelFactors = perChannelFactors;
        channelTerms = perChannelTerms;
        factors = factorsMemory;
        terms = termsMemory;

        dnnl_batch_normalization_desc_t backwardDesc = new dnnl_batch_normalization_desc_t();
        OneDnn.check(dnnl_batch_normalization_backward_desc_init(backwardDesc,
                scaled ? dnnl_backward : dnnl_backward_data, data, data, (float) eps, scaleShift),
                "batch norm backward descriptor");
        backward = natives.primitive(natives.primitiveDesc(backwardDesc, trainingPd));

        source = natives.memory(data);
        output = natives.memory(data);
        outputGradient = natives.memory(data);
        inputGradient = natives.memory(data);
        mean = natives.memory(perChannel);
        variance = natives.memory(perChannel);
        scale = natives.memory(perChannel);
        shift = natives.memory(perChannel);
        scaleGradient = natives.memory(perChannel);
        shiftGradient = natives.memory(perChannel);
        natives.freeWith(this);
    }

    /**
     * Normalises {@code x} with its own batch statistics, which it writes to {@code batchMean} and
     * {@code batchVariance} (biased); {@code gamma} and {@code beta} are ignored for an unscaled layer. Input and
     * output one block each in this layout, the per-channel arrays one C-ordered block.
     */
    void training(INDArray x, INDArray gamma, INDArray beta, INDArray out, INDArray batchMean,
                  INDArray batchVariance) {
        bindData(x, out, batchMean, batchVariance, gamma, beta);
        execute(training);
    }

    /** As {@link #training}, writing {@code max(0, y)} for each normalised value y; for a rectifying layer. */
    void trainingRectified(INDArray x, INDArray gamma, INDArray beta, INDArray out, INDArray batchMean,
                           INDArray batchVariance) {
        bindData(x, out, batchMean, batchVariance, gamma, beta);
        OneDnn.bindScratch(rectifyingWorkspace, rectifyingWorkspaceDesc, 0);
        execute(rectifying, DNNL_ARG_WORKSPACE, rectifyingWorkspace);
    }

    /** Normalises {@code x} with the given statistics (the running ones, at inference). */
    void inference(INDArray x, INDArray statsMean, INDArray statsVariance, INDArray gamma, INDArray beta,
                   INDArray out) {
        bindData(x, out, statsMean, statsVariance, gamma, beta);
        execute(inference);
    }

    /**
     * As {@link #inference}, writing {@code max(0, y)} for each normalised value y; for a layer built to rectify in
     * inference.
     */
    void inferenceRectified(INDArray x, INDArray statsMean, INDArray statsVariance, INDArray gamma, INDArray beta,
                            INDArray out) {
        if (channelFactors == null) {
            bindData(x, out, statsMean, statsVariance, gamma, beta);
            execute(rectifyingInference);
            return;
        }
        float[] mean = BlasMatrix.read(statsMean);
        float[] shift = scaled ? BlasMatrix.read(beta) : null;
        double[] scales = FastBatchNormalization.inferenceFactors(scaled ? BlasMatrix.read(gamma) : null,
                BlasMatrix.read(statsVariance), eps);
        float[] factor = new float[mean.length];
        float[] term = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            factor[c] = (float) scales[c];
            term[c] = (float) ((scaled ? shift[c] : 0) - mean[c] * scales[c]);
        }
        channelFactors.put(factor);
        channelTerms.put(term);
        OneDnn.bind(source, x);
        OneDnn.bind(output, out);
        OneDnn.execute(rectifyingInference, DNNL_ARG_SRC_0, source, DNNL_ARG_SRC_1, factors, DNNL_ARG_DST, output,
                OneDnn.POST_OP_OPERAND, terms);
    }

    /** Whether the rectifying inference pass is the per-channel scaling (else the batch norm with the ReLU fused). */
    boolean rectifiesByScaling() {
        return channelFactors != null;
    }

    /**
     * The gradients with respect to the input and (for a scaled layer) gamma and beta, given the training pass's
     * batch statistics and the gradient with respect to the output.
     */
    void backward(INDArray x, INDArray epsilon, INDArray batchMean, INDArray batchVariance, INDArray gamma,
                  INDArray beta, INDArray inputGrad, INDArray gammaGrad, INDArray betaGrad) {
        OneDnn.bind(source, x);
        OneDnn.bind(outputGradient, epsilon);
        OneDnn.bind(inputGradient, inputGrad);
        OneDnn.bind(mean, batchMean);
        OneDnn.bind(variance, batchVariance);
        if (scaled) {
            OneDnn.bind(scale, gamma);
            OneDnn.bind(shift, beta);
            OneDnn.bind(scaleGradient, gammaGrad);
            OneDnn.bind(shiftGradient, betaGrad);
            OneDnn.execute(backward, DNNL_ARG_SRC, source, DNNL_ARG_DIFF_DST, outputGradient, DNNL_ARG_MEAN, mean,
                    DNNL_ARG_VARIANCE, variance, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
                    DNNL_ARG_DIFF_SRC, inputGradient,
                    DNNL_ARG_DIFF_SCALE, scaleGradient, DNNL_ARG_DIFF_SHIFT, shiftGradient);
        } else {
            OneDnn.execute(backward, DNNL_ARG_SRC, source, DNNL_ARG_DIFF_DST, outputGradient, DNNL_ARG_MEAN, mean,
                    DNNL_ARG_VARIANCE, variance, DNNL_ARG_DIFF_SRC, inputGradient);
        }
    }

    private void bindData(INDArray x, INDArray out, INDArray statsMean, INDArray statsVariance, INDArray gamma,
                          INDArray beta) {
        OneDnn.bind(source, x);
        OneDnn.bind(output, out);
        OneDnn.bind(mean, statsMean);
        OneDnn.bind(variance, statsVariance);
        if (scaled) {
            OneDnn.bind(scale, gamma);
            OneDnn.bind(shift, beta);
        }
    }

    /** Runs a forward pass over the bound arrays, with {@code extraArgs} (argument, memory pairs) added. */
    private void execute(dnnl_primitive forward, Object... extraArgs) {
        List<Object> args = new ArrayList<>(List.of(DNNL_ARG_SRC, source, DNNL_ARG_DST, output, DNNL_ARG_MEAN, mean,
                DNNL_ARG_VARIANCE, variance));
        if (scaled) {
            args.addAll(List.of(DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift));
        }
        args.addAll(List.of(extraArgs));
        OneDnn.execute(forward, args.toArray());
    }
}
