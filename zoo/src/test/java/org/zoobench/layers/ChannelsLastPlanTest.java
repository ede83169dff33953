package org.zoobench.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.pooling.GlobalPoolingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;

/** Which activations the fast layers hold channels-last, decided from each graph's structure. */
class ChannelsLastPlanTest {

    private static ComputationGraph built(String model, String input) {
        ModelEntry entry = ModelRegistry.get(model);
        return entry.build(entry.defaultOptions().withInput(InputShape.parse(input)));
    }

    private static Stream<GraphVertex> readers(ComputationGraph graph, GraphVertex vertex) {
        return vertex.getOutputVertices() == null ? Stream.empty()
                : Arrays.stream(vertex.getOutputVertices()).map(r -> graph.getVertices()[r.getVertexIndex()]);
    }

    private static boolean isLayer(GraphVertex vertex, Class<? extends Layer> type) {
        return vertex instanceof LayerVertex layerVertex && type.isInstance(layerVertex.getLayer());
    }

    @Test
    void aResidualNetHoldsEveryConvolutionsOutputAndEveryUnitsInput() {
        ComputationGraph graph = built("resnet20", "3x32x32");
        ChannelsLastPlan plan = ChannelsLastPlan.of(graph);
        List<GraphVertex> convolutions = Arrays.stream(graph.getVertices())
                .filter(v -> isLayer(v, ConvolutionLayer.class)).toList();
        assertEquals(19, convolutions.size());
        convolutions.forEach(conv -> assertTrue(plan.holdsOutput(conv.getVertexName()), conv.getVertexName()));

        GraphVertex beforePooling = Arrays.stream(graph.getVertices())
                .filter(v -> readers(graph, v).anyMatch(r -> isLayer(r, GlobalPoolingLayer.class)))
                .findFirst().orElseThrow();
        assertFalse(plan.holdsOutput(beforePooling.getVertexName()), "global pooling reads a plain array");
        assertTrue(plan.inputHeld(beforePooling.getVertexName(), 0));

        List<GraphVertex> sums = Arrays.stream(graph.getVertices())
                .filter(v -> v instanceof FastAddVertex).toList();
        assertEquals(9, sums.size());
        int identityShortcuts = 0;
        for (GraphVertex sum : sums) {
            boolean[] shared = new boolean[2];
            for (int i = 0; i < 2; i++) {
                GraphVertex input = graph.getVertices()[sum.getInputVertices()[i].getVertexIndex()];
                shared[i] = input.getOutputVertices().length > 1;
                assertTrue(plan.inputHeld(sum.getVertexName(), i), sum.getVertexName() + " input " + i);
            }
            assertFalse(shared[0] && shared[1]);
            identityShortcuts += shared[0] || shared[1] ? 1 : 0;
        }
        assertEquals(7, identityShortcuts, "all units but the two that widen take their input, read twice, as is");
        List<GraphVertex> zeroPadded = Arrays.stream(graph.getVertices())
                .filter(v -> v.getVertexName().contains("_shortcut")).toList();
        assertEquals(2 * 3, zeroPadded.size(), "each widening unit's subsampling, zero channels and concatenation");
        zeroPadded.forEach(v -> assertTrue(plan.holdsOutput(v.getVertexName()) && plan.inputHeld(v.getVertexName(), 0),
                v.getVertexName() + ": an option-A shortcut reads and writes channels-last"));
    }

    private static org.deeplearning4j.nn.conf.layers.ConvolutionLayer convolution(GraphVertex vertex) {
        return vertex instanceof LayerVertex layerVertex && layerVertex.getLayer() instanceof ConvolutionLayer conv
                ? (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) conv.conf().getLayer() : null;
    }

    private static boolean pointwise(org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf) {
        return Arrays.stream(conf.getKernelSize()).allMatch(k -> k == 1)
                && Arrays.stream(conf.getStride()).allMatch(s -> s == 1);
    }

    @Test
    void wideLayersAndConvolutionsWithTheirOwnActivationKeepNchw() {
        ComputationGraph resnet18 = built("resnet18", "1x32x32");
        ChannelsLastPlan wide = ChannelsLastPlan.of(resnet18);
        for (GraphVertex vertex : resnet18.getVertices()) {
            var conf = convolution(vertex);
            if (conf != null && conf.getNOut() > ChannelsLastPlan.HELD_CHANNELS) {
                assertFalse(wide.holdsOutput(vertex.getVertexName()), vertex.getVertexName());
            }
        }
        ComputationGraph lenet = built("lenet5", "1x28x28");
        ChannelsLastPlan ownActivations = ChannelsLastPlan.of(lenet);
        Arrays.stream(lenet.getVertices()).forEach(v -> assertFalse(ownActivations.holdsOutput(v.getVertexName()),
                "LeNet-5's convolutions apply their ReLU themselves: " + v.getVertexName()));
    }

    @Test
    void aDenseNetsConcatenationsAreHeldForTheBatchNormsThatReadThem() {
        ComputationGraph graph = built("densenet121", "1x32x32");
        ChannelsLastPlan plan = ChannelsLastPlan.of(graph);
        List<GraphVertex> merges = Arrays.stream(graph.getVertices()).filter(v -> v instanceof MergeVertex).toList();
        assertEquals(6 + 12 + 24 + 16, merges.size(), "one per dense layer after each block's first, one per block");
        for (GraphVertex merge : merges) {
            assertTrue(plan.holdsOutput(merge.getVertexName()), merge.getVertexName());
            readers(graph, merge).forEach(reader -> {
                assertTrue(isLayer(reader, BatchNormalization.class), reader.getVertexName());
                assertTrue(plan.inputHeld(reader.getVertexName(), 0), reader.getVertexName());
            });
        }
        List<GraphVertex> bottlenecks = Arrays.stream(graph.getVertices())
                .filter(v -> v.getVertexName().endsWith("_conv1") && pointwise(convolution(v))).toList();
        assertEquals(6 + 12 + 24 + 16, bottlenecks.size());
        long heldBottlenecks = bottlenecks.stream().filter(conv -> plan.holdsOutput(conv.getVertexName())).count();
        assertEquals(6 + 12 + 24 + 16 - 4, heldBottlenecks,
                "every bottleneck but each block's first reads a held input and so holds its output");
        bottlenecks.stream().filter(conv -> plan.holdsOutput(conv.getVertexName())).forEach(conv ->
                readers(graph, conv).forEach(reader -> assertTrue(plan.inputHeld(reader.getVertexName(), 0))));
        GraphVertex stemPool = graph.getVertex("pool0");
        assertFalse(plan.holdsOutput("pool0"), "a pooling layer writes C order");
        readers(graph, stemPool).filter(r -> r instanceof MergeVertex).forEach(merge ->
                assertFalse(plan.inputHeld(merge.getVertexName(), 0), merge.getVertexName()));
    }

    @Test
    void concatenationsOfVectorsAreNotHeld() {
        ComputationGraph graph = built("bilstm-max", "28x28");
        ChannelsLastPlan plan = ChannelsLastPlan.of(graph);
        Arrays.stream(graph.getVertices()).forEach(v -> assertFalse(plan.holdsOutput(v.getVertexName()),
                v.getVertexName()));
    }
}
