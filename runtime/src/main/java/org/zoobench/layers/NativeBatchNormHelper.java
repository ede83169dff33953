package org.zoobench.layers;

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
 * A DL4J {@link BatchNormalizationHelper} in place of the stock layer's chain of Java element-wise ops: float32 NCHW
 * arrays (every batch norm in the zoo) go through {@link FloatBatchNormKernel}'s fused loops; other types and layouts
 * through libnd4j's native {@code batchnorm} op and native broadcast and reduction ops. The stock layer keeps doing
 * everything else (the running mean and variance updates, inference statistics, parameter layout), from the batch
 * statistics this helper computes. Failures go through {@link Fallbacks}.
 */
final class NativeBatchNormHelper extends FastLayerHelper implements BatchNormalizationHelper {

    private final String layerName;
    private INDArray batchMean;
    private INDArray batchVariance;

    NativeBatchNormHelper(String layerName) {
        this.layerName = layerName;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray mean, INDArray var, double decay, double eps, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        return Fallbacks.guard(layerName, "forward", () -> {
            int axis = channelAxis(x, format);
            INDArray block = FloatBatchNormKernel.handles(x, axis) ? BlasMatrix.contiguous(x) : null;
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
                if (block != null) {
                    FloatBatchNormKernel.statistics(block, batchMean, batchVariance);
                } else {
                    x.mean(batchMean, reduce);
                    Nd4j.exec(new Variance(x, batchVariance, false, reduce)); // biased, as the stock layer normalises
                }
                m = batchMean;
                v = batchVariance;
            } else {
                m = mean.reshape(mean.length());
                v = var.reshape(var.length());
            }
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
            if (block != null) {
                FloatBatchNormKernel.normalize(block, m, v, gamma, beta, eps, out);
                return out;
            }
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

    /**
     * The gradient in closed form from the forward pass's batch statistics, as a few native broadcast and reduction
     * ops over every axis but the channel's: x̂ = (x − μ)/σ, dβ = Σ g, dγ = Σ g·x̂ and
     * dx = γ/σ · (g − dβ/m − x̂·dγ/m) for m values per channel. libnd4j's batchnorm_bp took 96 ms where its forward
     * op took 11 (64x64x16x16, docs/fast-layers.md). Without γ (a locked layer) the scale is 1, as in the forward op.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        return Fallbacks.guard(layerName, "backward", () -> {
            int axis = channelAxis(input, format);
            if (FloatBatchNormKernel.handles(input, axis)) {
                INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                        input.shape());
                float[] gradGamma = new float[(int) input.size(axis)];
                float[] gradBeta = new float[gradGamma.length];
                FloatBatchNormKernel.gradient(BlasMatrix.contiguous(input), BlasMatrix.contiguous(epsilon),
                        batchMean, batchVariance, gamma, eps, inputGrad, gradGamma, gradBeta);
                return new Pair<>(gradients(Nd4j.createFromArray(gradGamma), Nd4j.createFromArray(gradBeta),
                        dGammaView, dBetaView), inputGrad);
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

    /** γ's and β's gradients in the layer's gradient views; none for a layer whose γ and β are locked. */
    private static Gradient gradients(INDArray gradGamma, INDArray gradBeta, INDArray dGammaView,
                                      INDArray dBetaView) {
        Gradient gradient = new DefaultGradient();
        if (dGammaView != null) {
            dGammaView.assign(gradGamma.reshape(dGammaView.shape()));
            dBetaView.assign(gradBeta.reshape(dBetaView.shape()));
            gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
            gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        }
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
