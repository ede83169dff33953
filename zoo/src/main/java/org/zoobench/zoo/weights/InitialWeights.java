package org.zoobench.zoo.weights;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.zoobench.UserInputException;

import java.util.Arrays;
import java.util.Map;

/**
 * A net started from a saved model's weights (fine-tuning): every layer takes the saved layer of the same name,
 * except the classifier when the class count differs, which keeps its fresh initialisation.
 */
public final class InitialWeights {

    private InitialWeights() {
    }

    /**
     * Copies {@code saved}'s weights into {@code net} (same architecture; {@code source} names the saved model in
     * errors) and returns {@code net}. BatchNorm's variance converts between DL4J's two ways of storing it.
     */
    public static ComputationGraph copy(ComputationGraph saved, ComputationGraph net, String source) {
        if (saved.getLayers().length != net.getLayers().length) {
            throw mismatch(source, saved.getLayers().length + " layers where this model has "
                    + net.getLayers().length);
        }
        Layer classifier = SavedModel.classifier(net);
        boolean newClasses = SavedModel.classifier(saved).getParam("W").size(1) != classifier.getParam("W").size(1);
        for (Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0 || (newClasses && layer == classifier)) {
                continue;
            }
            Layer from = saved.getLayer(name);
            if (from == null) {
                throw mismatch(source, "no layer '" + name + "'");
            }
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                INDArray value = savedParam(from, param.getKey(), layer);
                if (value == null || !Arrays.equals(value.shape(), param.getValue().shape())) {
                    throw mismatch(source, "layer '" + name + "' with " + (value == null ? "no " + param.getKey()
                            : param.getKey() + " of shape " + Arrays.toString(value.shape())) + " where this model "
                            + "needs " + Arrays.toString(param.getValue().shape()));
                }
                param.getValue().assign(value);
            }
        }
        return net;
    }

    /** {@code from}'s parameter {@code key} as {@code to} stores it. */
    private static INDArray savedParam(Layer from, String key, Layer to) {
        Map<String, INDArray> params = from.paramTable();
        if (params.containsKey(key) || !(to.conf().getLayer() instanceof BatchNormalization bn)) {
            return params.get(key);
        }
        double eps = bn.getEps();
        INDArray logStd = params.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
        INDArray var = params.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
        if (key.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD) && var != null) {
            return Transforms.log(var.add(eps), 10, false).muli(0.5);
        }
        if (key.equals(BatchNormalizationParamInitializer.GLOBAL_VAR) && logStd != null) {
            return Transforms.pow(Nd4j.valueArrayOf(logStd.shape(), 10.0, logStd.dataType()), logStd, false)
                    .muli(Transforms.pow(Nd4j.valueArrayOf(logStd.shape(), 10.0, logStd.dataType()), logStd, false))
                    .subi(eps);
        }
        return null;
    }

    private static UserInputException mismatch(String source, String what) {
        return new UserInputException("the saved model " + source + " does not fit this model: it has " + what
                + " (start from a saved model of the same architecture and input channels)");
    }
}
