package org.zoobench.layers;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.LocalResponseNormalization;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.zoobench.UserInputException;

/**
 * Which implementation runs a graph's layers. Both use DL4J's configurations, so parameters, initialisation,
 * serialisation and everything outside the hot loops are identical, and a model saved under one loads under the
 * other: after the graph is built, {@code FAST} plugs native-op helpers into DL4J's layers and puts subclasses of
 * DL4J's layers and vertices with faster code of their own in their place (see docs/fast-layers.md for what each
 * replaces and the measured gains).
 */
public enum LayerImpl {
    /**
     * libnd4j's native ops for convolution and batch normalisation, OpenBLAS called directly for matrix products
     * (dense layers) and for whole LSTM sequences; DL4J for everything else.
     */
    FAST,
    /** DL4J 1.0.0-M2.1's own Java implementations, as shipped. */
    STOCK;

    /** The lower-case name used on the command line and in records. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LayerImpl parse(String text) {
        for (LayerImpl impl : values()) {
            if (impl.id().equalsIgnoreCase(text.trim())) {
                return impl;
            }
        }
        throw new UserInputException("unknown layer implementation '" + text + "'; expected fast or stock");
    }

    /**
     * Makes {@code graph}'s layers run with this implementation; call after {@code init()} or after loading a
     * saved graph. Each graph keeps its own matrix-product routing (see {@link DirectGemm}), whatever other graphs
     * in the JVM chose. For {@code FAST} the graph also keeps each convolution's pre-activation from the forward
     * pass (the output itself where the activation is the identity, else DL4J's DEVICE cache mode's copy) so that
     * backpropagation does not run the convolution a second time. LSTMs
     * inside DL4J's bidirectional and other wrapper layers are reached too.
     */
    public ComputationGraph apply(ComputationGraph graph) {
        // The graph only opens the cache workspace the layers' DEVICE mode writes into when its configuration asks;
        // only convolutions with an activation of their own use it (the others keep their output themselves, and an
        // LSTM graph with the workspace open trained slower).
        boolean cachedConvolutions = Arrays.stream(graph.getLayers()).anyMatch(layer ->
                KeptOutputConvolutionLayer.swappable(layer) && !KeptOutputConvolutionLayer.identity(layer));
        graph.getConfiguration().setCacheMode(this == FAST && cachedConvolutions ? CacheMode.DEVICE : CacheMode.NONE);
        FastBatchNormalization.swapBatchNormLayers(graph, this == FAST);
        boolean oneDnn = this == FAST && OneDnn.handles(graph.getConfiguration().getDataType());
        ChannelsLastPlan plan = oneDnn ? ChannelsLastPlan.of(graph) : ChannelsLastPlan.NONE;
        ReluFolding folding = oneDnn ? ReluFolding.of(graph, plan) : ReluFolding.NONE;
        InferenceFolding inferenceFolding = oneDnn ? InferenceFolding.of(graph, plan) : InferenceFolding.NONE;
        KeptOutputConvolutionLayer.swapConvolutionLayers(graph, this == FAST);
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer instanceof ConvolutionLayer conv && KeptOutputConvolutionLayer.swappable(conv)) {
                setHelper(ConvolutionLayer.class, conv,
                        this == FAST ? new NativeConvolutionHelper(name, conv.hasBias(), plan, inferenceFolding,
                                inputGradientUnread(graph, conv)) : null);
                conv.setCacheMode(this == FAST ? CacheMode.DEVICE : CacheMode.NONE);
            } else if (layer instanceof BatchNormalization bn) {
                setHelper(BatchNormalization.class, bn,
                        this == FAST ? new NativeBatchNormHelper(name, plan, folding, inferenceFolding) : null);
            } else if (layer instanceof LocalResponseNormalization lrn && lrnWithHelper(lrn)) {
                setHelper(LocalResponseNormalization.class, lrn, this == FAST
                        ? new NativeLrnHelper(name, ((org.deeplearning4j.nn.conf.layers.LocalResponseNormalization)
                        lrn.conf().getLayer()).getDataFormat()) : null);
            }
        }
        KeptPreOutputDenseLayer.swapDenseLayers(graph, this == FAST);
        FastReluLayer.swapReluLayers(graph, this == FAST, plan, folding, inferenceFolding);
        FastSubsamplingLayer.swapSubsamplingLayers(graph, oneDnn, plan);
        FastAddVertex.swapAddVertices(graph, this == FAST, plan, folding, inferenceFolding);
        FastScaleVertex.swapScaleVertices(graph, this == FAST, plan);
        FastMergeVertex.swapMergeVertices(graph, this == FAST, plan);
        layersAndWrapped(graph).filter(LayerImpl::lstmWithHelper).forEach(lstm -> setHelper(LSTM.class, lstm,
                this == FAST ? new OpenBlasLstmHelper(lstm.conf().getLayer().getLayerName()) : null));
        ComputationGraphUpdater updater = graph.getUpdater();
        if (updater instanceof OwnGradientUpdater != (this == FAST)) {
            INDArray state = updater.getStateViewArray(); // Adam's moments etc. carry over
            graph.setUpdater(this == FAST ? new OwnGradientUpdater(graph, state)
                    : new ComputationGraphUpdater(graph, state));
        }
        // Recurrent step products DL4J computes itself (SimpleRnn; LSTMs without the helper) are small and many: with
        // OpenBLAS's threads beside libnd4j's spinning OpenMP workers DL4J's LSTM backward runs slower
        // (docs/fast-layers.md), so recurrent graphs keep matmul.
        DirectGemm.choose(graph, this == FAST && !recurrent(graph));
        sizeActivationWorkspacesInOnePass(graph, this == FAST);
        return graph;
    }

    /**
     * DL4J sizes each of a graph's activation workspaces (one per activation alive at once in a pass) only after
     * the workspace has been opened and closed as many times as the graph has vertices; until then every array in
     * it is a fresh allocation, its pages faulted in on first touch. A workspace is opened a few times a pass, so a
     * net with many activations alive at once ran its first passes that way: DenseNet-121, 26 workspaces, about 80
     * inference passes. {@code FAST} sizes each at the end of its first cycle that allocated and lets DL4J grow it
     * where a later cycle spills, so from the second pass on nothing is allocated afresh; {@code STOCK} learns as
     * DL4J does. A workspace is its thread's, by name, and follows the configuration of the graph that made it.
     */
    private static void sizeActivationWorkspacesInOnePass(ComputationGraph graph, boolean fast) {
        WorkspaceConfiguration activations = (WorkspaceConfiguration) GraphSwaps.get(ComputationGraph.class, graph,
                "WS_LAYER_ACT_X_CONFIG");
        activations.setPolicyLearning(fast ? LearningPolicy.FIRST_LOOP : LearningPolicy.OVER_TIME);
    }

    /**
     * Whether nothing reads the gradient with respect to {@code layer}'s input: its every input is one of the
     * network's inputs, reached with no preprocessor or dropout between, and DL4J drops what backpropagation hands
     * an input vertex (a graph's training returns no input gradient).
     */
    static boolean inputGradientUnread(ComputationGraph graph, Layer layer) {
        GraphVertex vertex = graph.getVertex(layer.conf().getLayer().getLayerName());
        if (!(vertex instanceof LayerVertex layerVertex) || layerVertex.getLayerPreProcessor() != null
                || layer.conf().getLayer().getIDropout() != null || vertex.getInputVertices() == null) {
            return false;
        }
        return Arrays.stream(vertex.getInputVertices())
                .allMatch(in -> graph.getVertices()[in.getVertexIndex()].isInputVertex());
    }

    /**
     * Whether {@code graph}'s convolution, batch-norm, LRN, dense, ReLU and LSTM layers and its adding and merging
     * vertices run this implementation (the fast helpers, layers and vertices for {@code FAST}, DL4J's own for
     * {@code STOCK}); vacuously true for a graph with none.
     */
    public boolean runs(ComputationGraph graph) {
        if (layersAndWrapped(graph).filter(LayerImpl::lstmWithHelper)
                .anyMatch(lstm -> lstm.getHelper() instanceof OpenBlasLstmHelper != (this == FAST))) {
            return false;
        }
        for (Layer layer : graph.getLayers()) {
            if (KeptPreOutputDenseLayer.swappable(layer)
                    && layer instanceof KeptPreOutputDenseLayer != (this == FAST)
                    || KeptOutputConvolutionLayer.swappable(layer)
                    && layer instanceof KeptOutputConvolutionLayer != (this == FAST)
                    || FastReluLayer.swappable(layer) && layer instanceof FastReluLayer != (this == FAST)
                    || FastBatchNormalization.swappable(layer)
                    && layer instanceof FastBatchNormalization != (this == FAST)
                    || FastSubsamplingLayer.swappable(layer) && oneDnnComputes(layerType(layer))
                    && layer instanceof FastSubsamplingLayer != (this == FAST)) {
                return false;
            }
            boolean handled = KeptOutputConvolutionLayer.swappable(layer)
                    || layer instanceof BatchNormalization
                    || layer instanceof LocalResponseNormalization lrn && lrnWithHelper(lrn);
            if (handled && isFastHelper(layer.getHelper()) != (this == FAST)) {
                return false;
            }
        }
        return Arrays.stream(graph.getVertices()).noneMatch(vertex -> FastAddVertex.swappable(vertex)
                && vertex instanceof FastAddVertex != (this == FAST)
                || FastScaleVertex.swappable(vertex) && vertex instanceof FastScaleVertex != (this == FAST)
                || FastMergeVertex.swappable(vertex) && vertex instanceof FastMergeVertex != (this == FAST));
    }

    /** Whether the fast layers compute this LRN layer: oneDNN's does float32 on the CPU backend only. */
    private static boolean lrnWithHelper(LocalResponseNormalization lrn) {
        return oneDnnComputes(layerType(lrn));
    }

    private static org.nd4j.linalg.api.buffer.DataType layerType(Layer layer) {
        return (org.nd4j.linalg.api.buffer.DataType) GraphSwaps.get(
                org.deeplearning4j.nn.layers.AbstractLayer.class, layer, "dataType");
    }

    /** Whether the fast layers compute arrays of this type with oneDNN's primitives here (float32, CPU backend). */
    public static boolean oneDnnComputes(org.nd4j.linalg.api.buffer.DataType type) {
        return OneDnn.handles(type);
    }

    /** Whether a layer's helper is one of the fast layers' (a native convolution, batch norm, LRN or LSTM). */
    public static boolean isFastHelper(LayerHelper helper) {
        return helper instanceof FastLayerHelper;
    }

    /**
     * What computes a layer of this configuration type (a DL4J layer class's simple name) under this
     * implementation: for {@code zoobench summary}. Pooling is libnd4j's native op in both.
     */
    public String engine(String layerType) {
        return switch (layerType) {
            case "ConvolutionLayer" -> this == FAST ? "oneDNN (float32) or native conv2d" : "DL4J im2col+gemm";
            case "BatchNormalization" -> this == FAST ? "oneDNN (float32) or native batchnorm" : "DL4J";
            case "LocalResponseNormalization" -> this == FAST ? "oneDNN (float32) or DL4J" : "DL4J";
            case "SubsamplingLayer" -> this == FAST ? "native pooling; a 1x1 window a oneDNN strided copy (float32)"
                    : "native pooling";
            case "ActivationLayer" -> this == FAST ? "one oneDNN or native op per pass (ReLU)" : "DL4J";
            case "DenseLayer" -> this == FAST ? "OpenBLAS or ND4J gemm, by size; z kept for backprop" : "ND4J matmul";
            case "OutputLayer" -> this == FAST ? "OpenBLAS or ND4J gemm, by size" : "ND4J matmul";
            case "LSTM" -> this == FAST ? "OpenBLAS per sequence, Java gates" : "DL4J per-step ops";
            default -> "DL4J";
        };
    }

    private static boolean recurrent(ComputationGraph graph) {
        return Arrays.stream(graph.getLayers()).anyMatch(layer -> layer instanceof BaseRecurrentLayer);
    }

    /** The graph's layers and those inside DL4J's bidirectional and other wrappers. */
    static Stream<Layer> layersAndWrapped(ComputationGraph graph) {
        return Arrays.stream(graph.getLayers()).flatMap(LayerImpl::withWrapped);
    }

    private static Stream<Layer> withWrapped(Layer layer) {
        if (layer instanceof BidirectionalLayer bidirectional) {
            return Stream.of(wrapped(bidirectional, "fwd"), wrapped(bidirectional, "bwd"))
                    .flatMap(LayerImpl::withWrapped);
        }
        if (layer instanceof BaseWrapperLayer wrapper) {
            return withWrapped(wrapper.getUnderlying());
        }
        return Stream.of(layer);
    }

    /**
     * A stock LSTM (not GravesLSTM, which has peepholes) with the activations {@link OpenBlasLstmHelper}
     * computes: DL4J's defaults, sigmoid gates and tanh. Others keep DL4J's own code under either implementation.
     */
    private static boolean lstmWithHelper(Layer layer) {
        return layer instanceof LSTM && exactly(layer, LSTM.class)
                && layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.LSTM conf
                && OpenBlasLstmHelper.supports(conf.getGateActivationFn(), conf.getActivationFn(), false);
    }

    private static Layer wrapped(BidirectionalLayer bidirectional, String direction) {
        try {
            Field field = BidirectionalLayer.class.getDeclaredField(direction);
            field.setAccessible(true); // DL4J has no getter for a direction's layer
            return (Layer) field.get(bidirectional);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DL4J BidirectionalLayer has no '" + direction + "' field", e);
        }
    }

    /** Whether a layer runs its stock Java code here: subclasses (depthwise, separable, ...) keep theirs. */
    private static boolean exactly(Layer layer, Class<?> type) {
        return layer.getClass() == type;
    }

    static void setHelper(Class<?> owner, Layer layer, Object helper) {
        try {
            Field field = owner.getDeclaredField("helper");
            field.setAccessible(true); // DL4J has no setter; BatchNormalization's field is package-private
            field.set(layer, helper);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DL4J " + owner.getSimpleName() + " has no 'helper' field to set", e);
        }
    }
}
