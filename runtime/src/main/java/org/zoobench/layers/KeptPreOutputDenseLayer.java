package org.zoobench.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's dense layer, except that the backward pass reuses the forward pass's pre-activation {@code z = x·W + b}
 * instead of computing it again, as DL4J's {@code BaseLayer.backpropGradient} does (one matrix product and one
 * bias broadcast per layer and step, and each small libnd4j op carries a fixed overhead, docs/fast-layers.md). The activation is applied to a copy of {@code z}, so that {@code z} stays as computed
 * whatever later layers do to this layer's output (dropout may scale it in place). Same configuration, same
 * parameter and gradient views, same arithmetic: only the implementation object in the graph changes
 * ({@link #swapDenseLayers}). Layers with layer normalisation or weight noise keep DL4J's code path, as does a
 * backward pass whose input is not the one of the kept forward pass.
 */
final class KeptPreOutputDenseLayer extends DenseLayer {

    private INDArray keptZ;
    private INDArray keptFor;

    private KeptPreOutputDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        keptZ = null;
        keptFor = null;
        if (!training || hasLayerNorm() || layerConf().getWeightNoise() != null) {
            return super.activate(training, workspaceMgr);
        }
        INDArray z = preOutput(true, workspaceMgr);
        keptZ = z;
        keptFor = input; // after dropout, which preOutput applies to the input
        INDArray activation = layerConf().getActivationFn().getActivation(
                workspaceMgr.dup(ArrayType.ACTIVATIONS, z), true);
        if (maskArray != null) {
            applyMask(activation);
        }
        return activation;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                            LayerWorkspaceMgr workspaceMgr) {
        if (forBackprop && keptZ != null && input == keptFor) {
            INDArray z = keptZ;
            keptZ = null; // the activation's backward pass may overwrite it
            keptFor = null;
            return new Pair<>(z, z);
        }
        return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
    }

    /**
     * Puts a {@code KeptPreOutputDenseLayer} (for {@code keep}) or DL4J's own dense layer in place of every plain
     * DL4J dense layer of {@code graph}, sharing its configuration, parameters and gradient views.
     */
    static void swapDenseLayers(ComputationGraph graph, boolean keep) {
        GraphSwaps.swapLayersWithTheirState(graph, KeptPreOutputDenseLayer::swappable, KeptPreOutputDenseLayer.class,
                keep, old -> keep ? new KeptPreOutputDenseLayer(old.conf(), old.params().dataType())
                        : new DenseLayer(old.conf(), old.params().dataType()));
    }

    /** A plain DL4J dense layer (not a subclass with code of its own) or this one. */
    static boolean swappable(Layer layer) {
        return layer.getClass() == DenseLayer.class || layer instanceof KeptPreOutputDenseLayer;
    }
}
