package org.zoobench.layers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex;
import org.deeplearning4j.nn.graph.vertex.impl.ScaleVertex;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.LocalResponseNormalization;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * Where a graph's activations are held channels-last ({@link ChannelsLast}) between the fast layers, decided once
 * from the graph's structure so that a layer computes in the same layout whatever implementation its neighbours
 * run (the kernels, and so the rounding, depend on the layout). A vertex hands its output on channels-last only
 * when every vertex reading it computes channels-last natively (a oneDNN convolution, batch norm or ReLU, an
 * adding or scaling vertex, or a pooling layer whose window is one position, {@link FastSubsamplingLayer}): any
 * other pooling or merging layer, or DL4J's activation function inside a convolution, would walk the strides
 * element by element, several times slower than a plain block. A convolution starts holding its output
 * so only where it has at most {@link #HELD_CHANNELS} output channels and its input is held or no wider than its
 * output: reordering a wide NCHW input costs more than the held output saves, and on wider layers oneDNN's blocked
 * kernels beat its NHWC ones by more than the reorders and batch norm save; except a 1x1 stride-1 convolution whose
 * input is held, at any width (a DenseNet's bottleneck, 4k maps: on channels-last data it is one matrix product, and
 * the batch norm after it then runs on NHWC too; DenseNet-121's training step 0.83-0.96 of its time). Batch norm,
 * ReLU, sums, scalings and single-position pooling hold their output where their input is held; a concatenation of
 * NCHW maps ({@link FastMergeVertex}) holds it wherever its readers are layers or sums that read channels-last,
 * whatever its inputs' layouts, as it copies every value anyway (a DenseNet's batch norms then read their
 * concatenations channels-last, where oneDNN's batch norm runs two to three times as fast as on NCHW at these nets'
 * sizes; an option-A shortcut's sum reads its concatenation with the zero channels so; holding an inception
 * module's branch outputs for its concatenation made GoogLeNet slower). Every gradient goes back in its
 * input's layout (a vertex read by several sums its held gradients flat: {@link HeldGradient}).
 */
final class ChannelsLastPlan {

    /** No activation held channels-last: every fast layer reads and writes C order (double, other backends). */
    static final ChannelsLastPlan NONE = new ChannelsLastPlan(Set.of(), Map.of());

    static final long HELD_CHANNELS = 64;

    private final Set<String> holders;
    /** Per vertex, for each of its inputs, whether it is held channels-last. */
    private final Map<String, boolean[]> inputsHeld;

    private ChannelsLastPlan(Set<String> holders, Map<String, boolean[]> inputsHeld) {
        this.holders = holders;
        this.inputsHeld = inputsHeld;
    }

    /** The plan for {@code graph}, whose layers the fast implementation computes with oneDNN. */
    static ChannelsLastPlan of(ComputationGraph graph) {
        Set<String> holders = new HashSet<>();
        Set<String> mapMakers = new HashSet<>();
        Map<String, boolean[]> inputsHeld = new HashMap<>();
        GraphVertex[] vertices = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[index];
            VertexIndices[] inputs = vertex.getInputVertices() == null ? new VertexIndices[0]
                    : vertex.getInputVertices();
            boolean[] held = new boolean[inputs.length];
            boolean readsMaps = inputs.length > 0;
            for (int i = 0; i < inputs.length; i++) {
                GraphVertex input = vertices[inputs[i].getVertexIndex()];
                held[i] = holders.contains(input.getVertexName());
                readsMaps &= mapMakers.contains(input.getVertexName());
            }
            if (makesMaps(vertex, readsMaps)) {
                mapMakers.add(vertex.getVertexName());
            }
            inputsHeld.put(vertex.getVertexName(), held);
            VertexIndices[] readers = vertex.getOutputVertices();
            if (readers != null && readers.length > 0 && !vertex.isOutputVertex()
                    && holdsOutput(vertex, held, readsMaps, vertices)
                    && Arrays.stream(readers).allMatch(r -> readsChannelsLast(vertices[r.getVertexIndex()], vertices))
                    && (!FastMergeVertex.swappable(vertex) || Arrays.stream(readers).allMatch(r ->
                    vertices[r.getVertexIndex()] instanceof LayerVertex
                            || FastAddVertex.swappable(vertices[r.getVertexIndex()])))) {
                holders.add(vertex.getVertexName());
            }
        }
        return new ChannelsLastPlan(holders, inputsHeld);
    }

    /** Whether vertex {@code name} hands its output on held channels-last. */
    boolean holdsOutput(String name) {
        return holders.contains(name);
    }

    /** Whether input {@code index} of vertex {@code name} is held channels-last, and its gradient goes back so. */
    boolean inputHeld(String name, int index) {
        boolean[] held = inputsHeld.get(name);
        return held != null && index < held.length && held[index];
    }

    /**
     * Whether the vertex, given which of its inputs are held and whether all of them are NCHW maps, computes a
     * channels-last output (see above).
     */
    private static boolean holdsOutput(GraphVertex vertex, boolean[] inputsHeld, boolean readsMaps,
                                       GraphVertex[] vertices) {
        boolean anyHeld = false;
        for (boolean held : inputsHeld) {
            anyHeld |= held;
        }
        if (vertex instanceof LayerVertex layerVertex && layerVertex.getLayer() instanceof ConvolutionLayer conv) {
            if (!KeptOutputConvolutionLayer.swappable(conv)) {
                return false;
            }
            org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf =
                    (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) conv.conf().getLayer();
            boolean pointwise = Arrays.stream(conf.getKernelSize()).allMatch(k -> k == 1)
                    && Arrays.stream(conf.getStride()).allMatch(s -> s == 1);
            return conf.getActivationFn() instanceof ActivationIdentity
                    && (conf.getNOut() <= HELD_CHANNELS && (anyHeld || conf.getNIn() <= conf.getNOut())
                    || pointwise && anyHeld);
        }
        if (FastMergeVertex.swappable(vertex)) {
            return readsMaps && FastMergeVertex.mergesChannels(vertex);
        }
        return anyHeld && readsChannelsLast(vertex, vertices);
    }

    /**
     * Whether the vertex outputs NCHW maps (rank 4): a 2-d convolution, pooling or LRN layer does; a batch norm,
     * activation layer or element-wise, scaling or merging vertex does where its inputs do ({@code readsMaps}).
     */
    private static boolean makesMaps(GraphVertex vertex, boolean readsMaps) {
        if (vertex instanceof LayerVertex layerVertex) {
            Layer layer = layerVertex.getLayer();
            if (KeptOutputConvolutionLayer.swappable(layer) || layer.getClass() == SubsamplingLayer.class
                    || layer instanceof FastSubsamplingLayer
                    || layer.getClass() == LocalResponseNormalization.class) {
                return true;
            }
            return readsMaps && (layer instanceof BatchNormalization || layer instanceof ActivationLayer);
        }
        return readsMaps && (vertex instanceof ElementWiseVertex || vertex instanceof ScaleVertex
                || FastMergeVertex.swappable(vertex));
    }

    /** Whether the vertex reads a channels-last input as fast as a plain one. */
    private static boolean readsChannelsLast(GraphVertex vertex, GraphVertex[] vertices) {
        if (vertex instanceof LayerVertex layerVertex) {
            Layer layer = layerVertex.getLayer();
            return KeptOutputConvolutionLayer.swappable(layer)
                    || layer instanceof BatchNormalization
                    || FastReluLayer.swappable(layer)
                    || FastSubsamplingLayer.swappable(layer);
        }
        return FastAddVertex.swappable(vertex) || FastScaleVertex.swappable(vertex) || zeroPaddingMerge(vertex, vertices);
    }

    /**
     * An option-A shortcut's concatenation of maps, read only by sums: it holds its output (above), and a
     * concatenation with a held output reads held inputs as fast as plain ones (a oneDNN reorder each).
     */
    private static boolean zeroPaddingMerge(GraphVertex vertex, GraphVertex[] vertices) {
        return FastMergeVertex.swappable(vertex) && FastMergeVertex.mergesChannels(vertex)
                && vertex.getOutputVertices() != null && vertex.getOutputVertices().length > 0
                && Arrays.stream(vertex.getOutputVertices())
                .allMatch(r -> FastAddVertex.swappable(vertices[r.getVertexIndex()]));
    }
}
