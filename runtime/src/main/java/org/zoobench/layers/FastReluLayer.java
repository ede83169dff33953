package org.zoobench.layers;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's activation layer for a plain ReLU without its copies: DL4J's training forward pass copies the input and
 * then applies libnd4j's ReLU op to the copy, and its backward pass copies the input again before the derivative
 * op, where one op each way, writing into a new array, computes the same values: oneDNN's ReLU in float32 on
 * the CPU backend ({@link OneDnnRelu}), libnd4j's ReLU ops otherwise. Every ReLU of a ResNet or
 * DenseNet pays the copies (the ReLU layers were 15% of a resnet20 training step, docs/fast-layers.md).
 * Activations held channels-last ({@link ChannelsLast}) stay so. A ReLU folded into the batch norm or sum before it
 * hands on the rectified values it is given: in the training step ({@link ReluFolding}) and in inference
 * ({@link InferenceFolding}).
 */
final class FastReluLayer extends ActivationLayer {

    /** oneDNN primitives per array length: one per batch size the layer sees. */
    private final Map<Long, OneDnnRelu> byLength = new HashMap<>();

    private final ChannelsLast.Layouts layouts;
    private final ReluFolding folding;
    private final String name;

    private final InferenceFolding inferenceFolding;

    private FastReluLayer(NeuralNetConfiguration conf, DataType dataType, ChannelsLast.Layouts layouts,
                          ReluFolding folding, InferenceFolding inferenceFolding, String name) {
        super(conf, dataType);
        this.layouts = layouts;
        this.folding = folding;
        this.inferenceFolding = inferenceFolding;
        this.name = name;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (training && folding.alreadyRectified(name, input)) {
            return input; // the batch norm or sum before applied this ReLU (ReluFolding)
        }
        if (!training && inferenceFolding.alreadyApplied(name, input)) {
            return InferenceFolding.handOn(input, workspaceMgr); // the convolution or sum before applied it
        }
        INDArray x = input.castTo(dataType);
        OneDnnRelu relu = oneDnn(x);
        if (relu != null) {
            INDArray source = layouts.input(x, workspaceMgr, ArrayType.FF_WORKING_MEM);
            INDArray out = layouts.output(source, workspaceMgr);
            relu.forward(source, out);
            return layouts.handOnOutput(out, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape());
        Nd4j.exec(new RectifiedLinear(x, out, 0));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = input.castTo(dataType);
        OneDnnRelu relu = oneDnn(x);
        INDArray delta;
        if (relu != null) {
            INDArray source = layouts.input(x, workspaceMgr, ArrayType.BP_WORKING_MEM);
            INDArray computed = layouts.gradient(source, workspaceMgr);
            relu.backward(source, ChannelsLast.inLayoutOf(epsilon, source, workspaceMgr, ArrayType.BP_WORKING_MEM),
                    computed);
            delta = layouts.handBackGradient(computed, workspaceMgr);
        } else {
            delta = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape());
            Nd4j.exec(new RectifiedLinearDerivative(x, epsilon, delta, 0));
        }
        return new Pair<>(new DefaultGradient(), delta);
    }

    /** oneDNN's ReLU for arrays of {@code x}'s length (built on first use), or null where libnd4j's ops run it. */
    private OneDnnRelu oneDnn(INDArray x) {
        if (!OneDnn.handles(x.dataType())) {
            return null;
        }
        return byLength.computeIfAbsent(x.length(), OneDnnRelu::new);
    }

    /**
     * Puts a {@code FastReluLayer} (for {@code fast}) or DL4J's own activation layer in place of every activation
     * layer of {@code graph} that computes a plain ReLU (no cap, threshold or negative slope).
     */
    static void swapReluLayers(ComputationGraph graph, boolean fast, ChannelsLastPlan plan, ReluFolding folding,
                               InferenceFolding inferenceFolding) {
        for (GraphVertex vertex : graph.getVertices()) {
            if (vertex instanceof LayerVertex layerVertex && swappable(layerVertex.getLayer())
                    && layerVertex.getLayer() instanceof FastReluLayer != fast) {
                Layer old = layerVertex.getLayer();
                DataType dataType = (DataType) GraphSwaps.get(
                        org.deeplearning4j.nn.layers.AbstractLayer.class, old, "dataType");
                String name = layerVertex.getVertexName();
                Layer replacement = fast
                        ? new FastReluLayer(old.conf(), dataType, new ChannelsLast.Layouts(plan, name), folding,
                        inferenceFolding, name)
                        : new ActivationLayer(old.conf(), dataType);
                GraphSwaps.replaceLayer(graph, layerVertex, old, replacement);
            }
        }
    }

    /** DL4J's activation layer (or this one) with a plain ReLU. */
    static boolean swappable(Layer layer) {
        return (layer.getClass() == ActivationLayer.class || layer instanceof FastReluLayer)
                && layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer conf
                && conf.getActivationFn() instanceof ActivationReLU relu && relu.getMax() == null
                && (relu.getThreshold() == null || relu.getThreshold() == 0)
                && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
    }
}
