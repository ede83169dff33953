package org.zoobench.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's convolution layer, except that a training forward pass with the identity activation (every convolution
 * followed by a batch norm) keeps its output itself as the pre-activation the backward pass reads, where DL4J's
 * cache mode copies it ({@code unsafeDuplication}): with the identity activation the output is the
 * pre-activation, and nothing writes to a layer's output after it (docs/fast-layers.md). Other activations, which
 * DL4J applies to the pre-activation in place, keep DL4J's copy. Same configuration, parameters, gradient views and
 * helper: only the implementation object in the graph changes ({@link #swapConvolutionLayers}).
 */
final class KeptOutputConvolutionLayer extends ConvolutionLayer {

    private KeptOutputConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training && helper instanceof NativeConvolutionHelper nativeHelper) {
            return nativeHelper.inferring(() -> super.activate(false, workspaceMgr)); // its batch norm may fold in
        }
        if (!training || helper == null || !identity(this)) {
            return super.activate(training, workspaceMgr);
        }
        if (input == null) {
            throw new IllegalArgumentException("Cannot perform forward pass with null input " + layerId());
        }
        applyDropOutIfNecessary(true, workspaceMgr);
        INDArray z = preOutput(true, false, workspaceMgr).getFirst();
        preOutput = z;
        return z;
    }

    static boolean identity(Layer layer) {
        return ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) layer.conf().getLayer())
                .getActivationFn() instanceof ActivationIdentity;
    }

    /**
     * Puts a {@code KeptOutputConvolutionLayer} (for {@code keep}) or DL4J's own convolution layer in place of every
     * plain DL4J convolution layer of {@code graph}, sharing its configuration, parameters, gradient views and helper.
     */
    static void swapConvolutionLayers(ComputationGraph graph, boolean keep) {
        GraphSwaps.swapLayersWithTheirState(graph, KeptOutputConvolutionLayer::swappable,
                KeptOutputConvolutionLayer.class, keep, old -> {
                    DataType dataType = old.params().dataType();
                    ConvolutionLayer replacement = keep ? new KeptOutputConvolutionLayer(old.conf(), dataType)
                            : new ConvolutionLayer(old.conf(), dataType);
                    LayerImpl.setHelper(ConvolutionLayer.class, replacement, old.getHelper());
                    return replacement;
                });
    }

    /** A plain DL4J convolution layer (not a subclass with code of its own) or this one. */
    static boolean swappable(Layer layer) {
        return layer.getClass() == ConvolutionLayer.class || layer instanceof KeptOutputConvolutionLayer;
    }
}
