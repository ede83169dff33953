package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelOptions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DenseBlocksTest {

    /** Two input channels at 4x4, growth 1: the block ends at 4 channels, the transition halves them and the map. */
    private static final ModelOptions OPTIONS = GradientChecks.options(InputShape.image(2, 4, 4), 2);
    private static final int GROWTH = 1;

    private static ComputationGraph blockAndTransition() {
        return GradientChecks.network(OPTIONS, (graph, in) -> DenseBlocks.transition(graph, "transition",
                DenseBlocks.block(graph, "dense", in, 2, GROWTH), 2));
    }

    @Test
    void denseBlockAndTransitionGradients() {
        GradientChecks.assertGradientsMatch(blockAndTransition(), OPTIONS, 3);
    }

    @Test
    void everyLayerReadsTheBlockInputAndAllEarlierLayers() {
        ComputationGraph net = blockAndTransition();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4);
        Map<String, INDArray> acts = net.feedForward(x, false);
        INDArray block = acts.get("dense");
        assertArrayEquals(new long[]{2, 2 + 2 * GROWTH, 4, 4}, block.shape());
        assertEquals(x, block.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)), "the block input comes first");
        assertEquals(acts.get("dense_layer1_conv2"), block.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 3)));
        assertEquals(acts.get("dense_layer2_conv2"), block.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 4)));
        assertEquals(acts.get("dense_concat2"), block.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)),
                "layer 2 reads the input and layer 1's maps");
        assertArrayEquals(new long[]{2, 2, 2, 2}, acts.get("transition_pool").shape());
    }

    @Test
    void layerWidthsFollowTheBottleneckDesign() {
        ComputationGraph net = blockAndTransition();
        // Layer 2: BN over 3 channels (gamma, beta, mean, var), 1x1 conv 3 -> 4k, BN over 4k, 3x3 conv 4k -> k.
        assertEquals(4 * 3, net.getLayer("dense_layer2_conv1_bn").numParams());
        assertEquals(3 * 4 * GROWTH, net.getLayer("dense_layer2_conv1").numParams());
        assertEquals(4 * GROWTH * GROWTH * 9, net.getLayer("dense_layer2_conv2").numParams());
        assertEquals(4 * 2, net.getLayer("transition_conv").numParams(), "transition: 1x1 conv 4 -> 2, no bias");
    }
}
