package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A DL4J {@link BatchNormalizationHelper} in place of the stock layer's chain of Java element-wise ops: float32 arrays
 * on the CPU backend (every batch norm the zoo trains) go through oneDNN's batch normalization
 * ({@link OneDnnBatchNorm}); other types (double for gradient checks) and backends through libnd4j's native
 * {@code batchnorm} op and native broadcast and reduction ops. The layer keeps doing
 * everything else (the running mean and variance updates, inference statistics, parameter layout), from the batch
 * statistics this helper computes ({@link FastBatchNormalization} does those in Java loops for float32).
 * Failures go through {@link Fallbacks}.
 */
final class NativeBatchNormHelper extends FastLayerHelper implements BatchNormalizationHelper {

    private final String layerName;
    private INDArray batchMean;
    private INDArray batchVariance;
    private final Map<List<Object>, OneDnnBatchNorm> byShape = new HashMap<>();
    private final ChannelsLast.Layouts layouts;
    private final ReluFolding folding;

    private final InferenceFolding inferenceFolding;

    NativeBatchNormHelper(String layerName, ChannelsLastPlan plan, ReluFolding folding,
                          InferenceFolding inferenceFolding) {
        this.layerName = layerName;
        this.layouts = new ChannelsLast.Layouts(plan, layerName);
        this.folding = folding;
        this.inferenceFolding = inferenceFolding;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray mean, INDArray var, double decay, double eps, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        if (!training && handsOnFolded(x)) {
            return InferenceFolding.handOn(x, workspaceMgr); // the convolution before computed it (InferenceFolding)
        }
        return Fallbacks.guard(layerName, "forward", () -> {
            int axis = channelAxis(x, format);
            OneDnnBatchNorm direct = oneDnn(x, gamma, beta, format, eps);
            INDArray m;
            INDArray v;
            if (training) {
                int[] reduce = reducedAxes(x, axis);
                if (batchMean == null || batchMean.dataType() != x.dataType() || batchMean.length() != x.size(axis)) {
                    try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        batchMean = Nd4j.createUninitialized(x.dataType(), x.size(axis));
                        batchVariance = Nd4j.createUninitialized(x.dataType(), x.size(axis));
                    }
                }
                if (direct == null) { // oneDNN's training pass writes the batch statistics along with the output
                    x.mean(batchMean, reduce);
                    Nd4j.exec(new Variance(x, batchVariance, false, reduce)); // biased, as the stock layer normalises
                }
                m = batchMean;
                v = batchVariance;
            } else {
                m = mean.reshape(mean.length());
                v = var.reshape(var.length());
            }
            if (direct != null) {
                INDArray source = layouts.input(x, workspaceMgr, ArrayType.FF_WORKING_MEM);
                InferenceFolding.Fold fold = inferenceFolding.ofRectifier(layerName);
                boolean foldedInference = !training && fold != null && x.rank() == 4
                        && inferenceFolding.folds(workspaceMgr);
                INDArray out = foldedInference
                        ? inferenceFolding.output(fold, x.dataType(), x.shape(), fold.held())
                        : layouts.output(source, workspaceMgr);
                boolean rectifies = training && folding.folds(layerName) && ReluFolding.inTrainingStep(workspaceMgr);
                if (rectifies) {
                    direct.trainingRectified(source, gamma, beta, out, m, v);
                } else if (training) {
                    direct.training(source, gamma, beta, out, m, v);
                } else if (foldedInference) {
                    direct.inferenceRectified(source, BlasMatrix.contiguous(m), BlasMatrix.contiguous(v), gamma, beta,
                            out);
                } else {
                    direct.inference(source, BlasMatrix.contiguous(m), BlasMatrix.contiguous(v), gamma, beta, out);
                }
                INDArray handedOn = foldedInference ? out : layouts.handOnOutput(out, workspaceMgr);
                if (folding.folds(layerName)) {
                    folding.wrote(layerName, rectifies ? handedOn : null);
                }
                if (fold != null) {
                    inferenceFolding.wrote(layerName, foldedInference ? out : null);
                }
                return handedOn;
            }
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
            BatchNorm op = new BatchNorm();
            op.addInputArgument(gamma == null ? new INDArray[]{x, m, v}
                    : new INDArray[]{x, m, v, gamma.reshape(gamma.length()), beta.reshape(beta.length())});
            op.addOutputArgument(out);
            op.addIArgument(gamma == null ? 0 : 1, beta == null ? 0 : 1, axis);
            op.addTArgument(eps);
            Nd4j.exec(op);
            return out;
        });
    }

    /** Whether an inference pass on {@code x} hands it on as it is: the convolution before computed this layer. */
    boolean handsOnFolded(INDArray x) {
        return inferenceFolding.alreadyApplied(layerName, x);
    }

    /** Whether this layer's last forward pass applied the ReLU after it too ({@link InferenceFolding}). */
    boolean rectifiedLastPass() {
        return inferenceFolding.folded(layerName);
    }

    /**
     * The gradient in closed form from the forward pass's batch statistics, as a few native broadcast and reduction
     * ops over every axis but the channel's: x̂ = (x − μ)/σ, dβ = Σ g, dγ = Σ g·x̂ and
     * dx = γ/σ · (g − dβ/m − x̂·dγ/m) for m values per channel, because libnd4j's batchnorm_bp is several times slower
     * than its forward op (docs/fast-layers.md). Without γ (a locked layer) the scale is 1, as in the forward op.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        return Fallbacks.guard(layerName, "backward", () -> {
            int axis = channelAxis(input, format);
            OneDnnBatchNorm direct = oneDnn(input, gamma, beta, format, eps);
            if (direct != null) {
                INDArray source = layouts.input(input, workspaceMgr, ArrayType.BP_WORKING_MEM);
                INDArray inputGrad = layouts.gradient(source, workspaceMgr);
                // oneDNN writes γ's and β's gradients straight into the layer's gradient views where it can
                boolean intoViews = dGammaView != null && BlasMatrix.isCBlock(dGammaView)
                        && BlasMatrix.isCBlock(dBetaView);
                INDArray gradGamma = intoViews ? dGammaView.reshape(dGammaView.length())
                        : Nd4j.createUninitialized(input.dataType(), input.size(axis));
                INDArray gradBeta = intoViews ? dBetaView.reshape(dBetaView.length())
                        : Nd4j.createUninitialized(input.dataType(), input.size(axis));
                direct.backward(source, ChannelsLast.inLayoutOf(epsilon, source, workspaceMgr,
                        ArrayType.BP_WORKING_MEM), batchMean, batchVariance, gamma, beta, inputGrad, gradGamma,
                        gradBeta);
                return new Pair<>(intoViews ? gradients(dGammaView, dBetaView)
                        : gradients(gradGamma, gradBeta, dGammaView, dBetaView),
                        layouts.handBackGradient(inputGrad, workspaceMgr));
            }
            int[] reduce = reducedAxes(input, axis);
            long perChannel = input.length() / input.size(axis);
            INDArray invStd = Transforms.pow(batchVariance.add(eps), -0.5, false);
            INDArray xHat = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, input.dataType(),
                    input.shape());
            Nd4j.exec(new BroadcastSubOp(input, batchMean, xHat, axis));
            Nd4j.exec(new BroadcastMulOp(xHat, invStd, xHat, axis));
            INDArray gradBeta = epsilon.sum(reduce);
            INDArray gradGamma = epsilon.mul(xHat).sum(reduce);

            INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                    input.shape());
            Nd4j.exec(new BroadcastMulOp(xHat, gradGamma.div(perChannel), inputGrad, axis));
            inputGrad.rsubi(epsilon);
            Nd4j.exec(new BroadcastSubOp(inputGrad, gradBeta.div(perChannel), inputGrad, axis));
            Nd4j.exec(new BroadcastMulOp(inputGrad, gamma == null ? invStd : invStd.muli(gamma.reshape(gamma.length())),
                    inputGrad, axis));

            return new Pair<>(gradients(gradGamma, gradBeta, dGammaView, dBetaView), inputGrad);
        });
    }

    /**
     * This layer's oneDNN primitives for {@code x}'s shape and the layout the plan computes it in (built on first
     * use), or null where libnd4j's ops compute the pass: a type other than float32, another backend, an input of
     * another rank than 2 or 4, or only one of gamma and beta.
     */
    private OneDnnBatchNorm oneDnn(INDArray x, INDArray gamma, INDArray beta, CNN2DFormat format, double eps) {
        if (!OneDnn.handles(x.dataType()) || (x.rank() != 2 && x.rank() != 4) || (gamma == null) != (beta == null)) {
            return null;
        }
        boolean scaled = gamma != null;
        long[] nchw = OneDnn.channelsSecond(x.shape(), format);
        int tag = x.rank() == 2 ? dnnl_ab : layouts.oneDnnTag(format);
        return byShape.computeIfAbsent(List.of(Arrays.stream(nchw).boxed().toList(), tag, scaled),
                key -> new OneDnnBatchNorm(nchw, tag, eps, scaled, folding.folds(layerName),
                        inferenceFolding.ofRectifier(layerName) != null));
    }

    /** γ's and β's gradients copied into the layer's gradient views; none for a layer whose γ and β are locked. */
    private static Gradient gradients(INDArray gradGamma, INDArray gradBeta, INDArray dGammaView,
                                      INDArray dBetaView) {
        if (dGammaView == null) {
            return new DefaultGradient();
        }
        dGammaView.assign(gradGamma.reshape(dGammaView.shape()));
        dBetaView.assign(gradBeta.reshape(dBetaView.shape()));
        return gradients(dGammaView, dBetaView);
    }

    /** The gradient of γ and β, whose values are in the layer's gradient views. */
    private static Gradient gradients(INDArray dGammaView, INDArray dBetaView) {
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return gradient;
    }

    private static int[] reducedAxes(INDArray x, int channelAxis) {
        return x.rank() == 2 ? new int[]{0} : channelAxis == 1 ? new int[]{0, 2, 3} : new int[]{0, 1, 2};
    }

    private static int channelAxis(INDArray x, CNN2DFormat format) {
        return x.rank() != 4 || format == CNN2DFormat.NCHW ? 1 : 3;
    }

    @Override
    public INDArray getMeanCache(org.nd4j.linalg.api.buffer.DataType dataType) {
        return batchMean;
    }

    @Override
    public INDArray getVarCache(org.nd4j.linalg.api.buffer.DataType dataType) {
        return batchVariance;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return true;
    }
}
