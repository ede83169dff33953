package org.zoobench.layers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.LocalResponseNormalizationHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J {@link LocalResponseNormalizationHelper} that runs oneDNN's local response normalisation
 * ({@link OneDnnLrn}) in place of the stock layer's Java element-wise ops and channel-shifted sums. Installed only
 * on float32 layers on the CPU backend (where oneDNN computes); DL4J's own code runs the rest.
 */
final class NativeLrnHelper extends FastLayerHelper implements LocalResponseNormalizationHelper {

    private final String layerName;
    private final CNN2DFormat format;
    private final Map<List<Long>, OneDnnLrn> byShape = new HashMap<>();

    NativeLrnHelper(String layerName, CNN2DFormat format) {
        this.layerName = layerName;
        this.format = format;
    }

    @Override
    public boolean checkSupported(double k, double n, double alpha, double beta) {
        return true;
    }

    @Override
    public INDArray activate(INDArray x, boolean training, double k, double n, double alpha, double beta,
                             LayerWorkspaceMgr workspaceMgr) {
        return Fallbacks.guard(layerName, "forward", () -> {
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
            primitives(x, k, n, alpha, beta).forward(BlasMatrix.contiguous(x), out);
            return out;
        });
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, double k, double n,
                                                     double alpha, double beta, LayerWorkspaceMgr workspaceMgr) {
        return Fallbacks.guard(layerName, "backward", () -> {
            INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                    input.shape());
            primitives(input, k, n, alpha, beta).backward(BlasMatrix.contiguous(input),
                    BlasMatrix.contiguous(epsilon), inputGrad);
            return new Pair<>(new DefaultGradient(), inputGrad);
        });
    }

    private OneDnnLrn primitives(INDArray x, double k, double n, double alpha, double beta) {
        long[] nchw = OneDnn.channelsSecond(x.shape(), format);
        return byShape.computeIfAbsent(Arrays.stream(nchw).boxed().toList(),
                key -> new OneDnnLrn(nchw, format, k, n, alpha, beta));
    }
}
