package org.zoobench.zoo.layers;

import java.util.Collections;
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
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link BatchNormalizationHelper} on libnd4j's native {@code batchnorm} and {@code batchnorm_bp} ops in
 * place of the stock layer's chain of Java element-wise ops. The stock layer keeps doing everything else (the
 * running mean and variance updates, inference statistics, parameter layout), from the batch statistics this
 * helper computes. Every floating-point type is accepted; failures go through {@link Fallbacks}.
 */
final class NativeBatchNormHelper implements BatchNormalizationHelper {

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
            INDArray m;
            INDArray v;
            if (training) {
                int[] reduce = x.rank() == 2 ? new int[]{0} : axis == 1 ? new int[]{0, 2, 3} : new int[]{0, 1, 2};
                if (batchMean == null || batchMean.dataType() != x.dataType() || batchMean.length() != x.size(axis)) {
                    try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        batchMean = Nd4j.createUninitialized(x.dataType(), x.size(axis));
                        batchVariance = Nd4j.createUninitialized(x.dataType(), x.size(axis));
                    }
                }
                x.mean(batchMean, reduce);
                Nd4j.exec(new Variance(x, batchVariance, false, reduce)); // biased, as the stock layer normalises
                m = batchMean;
                v = batchVariance;
            } else {
                m = mean.reshape(mean.length());
                v = var.reshape(var.length());
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

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        return Fallbacks.guard(layerName, "backward", () -> {
            int axis = channelAxis(input, format);
            // batchnorm_bp reads the gradient as if it had default strides (DL4J issue 8860).
            INDArray gradOut = Shape.hasDefaultStridesForShape(epsilon) ? epsilon : epsilon.dup('c');
            INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                    input.shape());
            INDArray meanGrad = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, input.dataType(),
                    batchMean.shape());
            INDArray varianceGrad = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, input.dataType(),
                    batchMean.shape());
            DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("batchnorm_bp")
                    .addInputs(gamma == null ? new INDArray[]{input, batchMean, batchVariance, gradOut}
                            : new INDArray[]{input, batchMean, batchVariance, gamma.reshape(gamma.length()),
                            beta.reshape(beta.length()), gradOut})
                    .addIntegerArguments(gamma == null ? 0 : 1, beta == null ? 0 : 1, axis)
                    .addFloatingPointArguments(eps);
            op.addOutputs(gamma == null ? new INDArray[]{inputGrad, meanGrad, varianceGrad}
                    : new INDArray[]{inputGrad, meanGrad, varianceGrad, dGammaView.reshape(dGammaView.length()),
                    dBetaView.reshape(dBetaView.length())});
            Nd4j.exec(op.build());

            Gradient gradient = new DefaultGradient();
            gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
            gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
            return new Pair<>(gradient, inputGrad);
        });
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

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }
}
