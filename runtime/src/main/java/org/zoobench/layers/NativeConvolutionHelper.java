package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link ConvolutionHelper} that runs libnd4j's native {@code conv2d} and {@code conv2d_bp} ops (oneDNN
 * on the oneDNN build, cuDNN on the CUDA build, libnd4j's own kernels otherwise) in place of the stock layer's Java
 * im2col + gemm. Parameters and gradients are the stock layer's own views, so layout and initialisation do not
 * change. Unlike DL4J's MKLDNNConvHelper it accepts every floating-point type (double for gradient checks), and a
 * failure goes through {@link Fallbacks} instead of a silent switch to the Java path.
 */
final class NativeConvolutionHelper extends FastLayerHelper implements ConvolutionHelper {

    private static final int WEIGHTS_OI_HW = 1; // conv2d's weight format 1: [outC, inC, kH, kW], DL4J's layout

    private final String layerName;
    /** Whether the layer has a bias: DL4J hands a bias-free layer's helper a zero bias in the forward pass. */
    private final boolean hasBias;
    /** Where oneDNN computes in NHWC: the input or the output is held channels-last ({@link ChannelsLastPlan}). */
    private final boolean computesNhwc;
    /** Whether the output goes on held channels-last, else in C order. */
    private final boolean holdsOutput;
    /** Whether the input comes held channels-last, and so its gradient goes back held, else in C order. */
    private final boolean inputHeld;
    /**
     * Whether backpropagation skips the gradient with respect to the input, which nothing reads (the layer reads
     * the network's input: {@link LayerImpl#inputGradientUnread}); a stem's largest backward product.
     */
    private final boolean inputGradientUnread;
    private final Map<List<Object>, OneDnnConvolution> byInput = new HashMap<>();
    private final InferenceFolding folding;
    /** This layer's fold, or null where its batch norm is not folded into it. */
    private final InferenceFolding.Fold fold;
    /** Whether the layer's current forward pass is an inference pass ({@link KeptOutputConvolutionLayer}). */
    private boolean inferring;
    /** The parameter values inference passes last used, numbered ({@link ParameterSnapshot}). */
    private final ParameterSnapshot parameters = new ParameterSnapshot();
    /** The folded weights and bias, detached, rewritten in a folded pass where the parameters changed. */
    private INDArray foldedWeights;
    private INDArray foldedBias;
    /** The version of the parameters the folded weights and bias were computed from; 0: none yet. */
    private long foldedFrom;

    NativeConvolutionHelper(String layerName, boolean hasBias, ChannelsLastPlan plan, InferenceFolding folding,
                            boolean inputGradientUnread) {
        this.layerName = layerName;
        this.inputGradientUnread = inputGradientUnread;
        this.hasBias = hasBias;
        this.holdsOutput = plan.holdsOutput(layerName);
        this.inputHeld = plan.inputHeld(layerName, 0);
        this.computesNhwc = holdsOutput || inputHeld;
        this.folding = folding;
        this.fold = folding.ofConvolution(layerName);
    }

    /** Runs {@code pass}, an inference forward pass of the layer, where its batch norm may be folded into it. */
    <T> T inferring(Supplier<T> pass) {
        inferring = true;
        try {
            return pass.get();
        } finally {
            inferring = false;
        }
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                              AlgoMode mode, FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation,
                              CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        return Fallbacks.guard(layerName, "forward", () -> {
            int hDim = format == CNN2DFormat.NCHW ? 2 : 1;
            int[] outSize = ConvolutionUtils.getOutputSize(input, kernel, strides,
                    convolutionMode == ConvolutionMode.Same ? null : pad, convolutionMode, dilation, format);
            int[] padding = convolutionMode == ConvolutionMode.Same
                    ? ConvolutionUtils.getSameModeTopLeftPadding(outSize,
                    new int[]{(int) input.size(hDim), (int) input.size(hDim + 1)}, kernel, strides, dilation)
                    : pad;
            long outChannels = weights.size(0);
            long[] outShape = format == CNN2DFormat.NCHW
                    ? new long[]{input.size(0), outChannels, outSize[0], outSize[1]}
                    : new long[]{input.size(0), outSize[0], outSize[1], outChannels};
            if (OneDnn.handles(input.dataType())) {
                INDArray source = ChannelsLast.block(input);
                if (fold != null) {
                    boolean folds = inferring && format == CNN2DFormat.NCHW && folding.folds(workspaceMgr);
                    INDArray folded = folds ? foldedForward(source, weights, bias, outShape, strides, padding, dilation)
                            : null;
                    folding.wrote(layerName, folded);
                    if (folded != null) {
                        return folded;
                    }
                }
                INDArray out = format == CNN2DFormat.NCHW && holdsOutput
                        ? ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATIONS, input.dataType(), outShape)
                        : workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), outShape);
                OneDnnConvolution convolution = direct(source, weights, outShape, strides, padding, dilation, format);
                INDArray weightValues = BlasMatrix.contiguous(weights);
                INDArray biasValues = hasBias ? BlasMatrix.contiguous(bias) : null;
                if (inferring) {
                    convolution.inferenceForward(source, weightValues, parameterVersion(weights, bias), biasValues,
                            out);
                } else {
                    convolution.forward(source, weightValues, biasValues, out);
                }
                return out;
            }
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), outShape);
            Conv2D op = new Conv2D();
            op.addInputArgument(bias == null ? new INDArray[]{input, weights}
                    : new INDArray[]{input, weights, bias.reshape(bias.length())});
            op.addOutputArgument(out);
            op.addIArgument(arguments(kernel, strides, padding, dilation, convolutionMode, format));
            Nd4j.exec(op);
            return out;
        });
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
                                                     int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                                                     INDArray weightGradView, IActivation afn, AlgoMode mode,
                                                     BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo,
                                                     ConvolutionMode convolutionMode, int[] dilation,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        int hDim = format == CNN2DFormat.NCHW ? 2 : 1;
        if (!OneDnn.handles(input.dataType()) && (input.size(hDim) < kernel[0] || input.size(hDim + 1) < kernel[1])) {
            // libnd4j's conv2d_bp collapses when the kernel is larger than the image (mostly padding): over a hundred
            // times its forward pass's time (docs/fast-layers.md). Null hands the pass to DL4J's own im2col + gemm.
            return null;
        }
        return Fallbacks.guard(layerName, "backward", () -> {
            int[] padding = convolutionMode == ConvolutionMode.Same
                    ? ConvolutionUtils.getSameModeTopLeftPadding(
                    new int[]{(int) delta.size(hDim), (int) delta.size(hDim + 1)},
                    new int[]{(int) input.size(hDim), (int) input.size(hDim + 1)}, kernel, strides, dilation)
                    : pad;
            // The stock layer hands a bias-free layer a dummy bias gradient; conv2d_bp simply gets no bias.
            boolean withBias = bias != null;
            INDArray inputGrad;
            if (OneDnn.handles(input.dataType()) && BlasMatrix.isCBlock(weightGradView)
                    && (!withBias || BlasMatrix.isCBlock(biasGradView))) {
                INDArray source = ChannelsLast.block(input);
                inputGrad = inputGradientUnread ? null : format == CNN2DFormat.NCHW && inputHeld
                        ? ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape())
                        : workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
                INDArray outputGrad = ChannelsLast.block(delta);
                direct(source, weights, delta.shape(), strides, padding, dilation, format).backward(source,
                        BlasMatrix.contiguous(weights), outputGrad, ChannelsLast.oneDnnTag(outputGrad, format),
                        inputGrad, ChannelsLast.oneDnnTag(inputGrad == null ? source : inputGrad, format),
                        weightGradView, withBias ? biasGradView : null);
            } else {
                inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                        input.shape());
                Conv2DDerivative op = new Conv2DDerivative();
                op.addInputArgument(withBias ? new INDArray[]{input, weights, bias.reshape(bias.length()), delta}
                        : new INDArray[]{input, weights, delta});
                op.addOutputArgument(withBias
                        ? new INDArray[]{inputGrad, weightGradView, biasGradView.reshape(biasGradView.length())}
                        : new INDArray[]{inputGrad, weightGradView});
                op.addIArgument(arguments(kernel, strides, padding, dilation, convolutionMode, format));
                Nd4j.exec(op);
            }

            Gradient gradient = new DefaultGradient();
            if (withBias) {
                gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
            }
            gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
            return new Pair<>(gradient, inputGrad);
        });
    }

    /**
     * The convolution with its batch norm (and ReLU) folded in ({@link InferenceFolding}), into the fold's detached
     * output buffer.
     */
    private INDArray foldedForward(INDArray source, INDArray weights, INDArray bias, long[] outShape, int[] strides,
                                   int[] padding, int[] dilation) {
        long version = parameterVersion(weights, bias);
        if (version != foldedFrom) {
            fold(weights, bias);
            foldedFrom = version;
        }
        INDArray out = folding.output(fold, source.dataType(), outShape, fold.held());
        direct(source, weights, outShape, strides, padding, dilation, CNN2DFormat.NCHW)
                .foldedInference(source, foldedWeights, version, foldedBias, out, fold.relu() != null, fold.held());
        return out;
    }

    /** Computes the folded weights and bias from the layer's and its batch norm's parameters. */
    private void fold(INDArray weights, INDArray bias) {
        BatchNormalization norm = fold.norm();
        double eps = ((org.deeplearning4j.nn.conf.layers.BatchNormalization) norm.conf().getLayer()).getEps();
        float[] gamma = BlasMatrix.read(norm.getParam(BatchNormalizationParamInitializer.GAMMA));
        float[] beta = BlasMatrix.read(norm.getParam(BatchNormalizationParamInitializer.BETA));
        float[] mean = BlasMatrix.read(norm.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
        float[] variance = FastBatchNormalization.runningVariance(norm);
        float[] w = BlasMatrix.read(weights);
        float[] b = hasBias ? BlasMatrix.read(bias) : null;
        int channels = gamma.length;
        int perChannel = w.length / channels;
        float[] foldedB = new float[channels];
        double[] scales = FastBatchNormalization.inferenceFactors(gamma, variance, eps);
        for (int o = 0; o < channels; o++) {
            double scale = scales[o];
            for (int i = o * perChannel; i < (o + 1) * perChannel; i++) {
                w[i] = (float) (w[i] * scale);
            }
            foldedB[o] = (float) (beta[o] + ((b == null ? 0 : b[o]) - mean[o]) * scale);
        }
        if (foldedWeights == null || !Arrays.equals(foldedWeights.shape(), weights.shape())) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                foldedWeights = Nd4j.createUninitializedDetached(weights.dataType(), weights.shape());
                foldedBias = Nd4j.createUninitializedDetached(weights.dataType(), channels);
            }
        }
        BlasMatrix.write(foldedWeights, w);
        BlasMatrix.write(foldedBias, foldedB);
    }

    /**
     * The version of the parameters an inference pass computes from: the weights and bias, and, where a batch norm
     * may fold in, the batch norm's.
     */
    private long parameterVersion(INDArray weights, INDArray bias) {
        List<INDArray> used = new ArrayList<>(List.of(weights));
        if (hasBias) {
            used.add(bias);
        }
        if (fold != null) {
            BatchNormalization norm = fold.norm();
            boolean logStd = ((org.deeplearning4j.nn.conf.layers.BatchNormalization) norm.conf().getLayer())
                    .isUseLogStd();
            used.add(norm.getParam(BatchNormalizationParamInitializer.GAMMA));
            used.add(norm.getParam(BatchNormalizationParamInitializer.BETA));
            used.add(norm.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
            used.add(norm.getParam(logStd ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                    : BatchNormalizationParamInitializer.GLOBAL_VAR));
        }
        return parameters.version(used.toArray(INDArray[]::new));
    }

    /**
     * This layer's oneDNN primitives for this input's shape and layout (built on first use), for float32 on the CPU
     * backend; libnd4j's conv2d op computes other types (double for gradient checks) and backends.
     */
    private OneDnnConvolution direct(INDArray input, INDArray weights, long[] outputShape, int[] strides,
                                     int[] padding, int[] dilation, CNN2DFormat format) {
        long[] inputDims = OneDnn.channelsSecond(input.shape(), format);
        int inputTag = ChannelsLast.oneDnnTag(input, format);
        int outputTag = format == CNN2DFormat.NHWC || holdsOutput ? dnnl_nhwc : dnnl_nchw;
        boolean nhwc = format == CNN2DFormat.NHWC || computesNhwc;
        return byInput.computeIfAbsent(List.of(Arrays.stream(inputDims).boxed().toList(), inputTag),
                key -> new OneDnnConvolution(inputDims, inputTag, weights.shape(),
                        OneDnn.channelsSecond(outputShape, format), outputTag, nhwc, hasBias, strides, padding,
                        dilation));
    }

    /** Whether this layer's last forward pass computed its batch norm too ({@link InferenceFolding}). */
    boolean foldedLastPass() {
        return fold != null && folding.folded(layerName);
    }

    /** How many input shapes and layouts this layer has built oneDNN primitives for. */
    int oneDnnShapes() {
        return byInput.size();
    }

    /** conv2d's integer arguments: kernel, stride, padding, dilation, same-mode flag, data format, weight format. */
    private static long[] arguments(int[] kernel, int[] strides, int[] pad, int[] dilation, ConvolutionMode mode,
                                    CNN2DFormat format) {
        return new long[]{kernel[0], kernel[1], strides[0], strides[1], pad[0], pad[1], dilation[0], dilation[1],
                mode == ConvolutionMode.Same ? 1 : 0, format == CNN2DFormat.NCHW ? 0 : 1, WEIGHTS_OI_HW};
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return afn.getActivation(z, training);
    }
}
