package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GroupedConvolutionTest {

    private static final ModelOptions OPTIONS = GradientChecks.options(InputShape.image(4, 5, 5), 3);

    private static ComputationGraph twoGroups() {
        return GradientChecks.network(OPTIONS,
                (graph, in) -> GroupedConvolution.convRelu(graph, "grouped", in, 4, 2, 6, 3, 1, 1));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        ComputationGraph net = twoGroups();
        // Each group: 3 filters over 2 of the 4 input channels, half the weights of an ungrouped convolution.
        assertEquals(3 * 2 * 3 * 3 + 3, net.getLayer("grouped_g0").numParams());
        assertEquals(3 * 2 * 3 * 3 + 3, net.getLayer("grouped_g1").numParams());
        GradientChecks.assertGradientsMatch(net, OPTIONS, 3);
    }

    @Test
    void eachGroupSeesOnlyItsOwnChannels() {
        ComputationGraph net = twoGroups();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 4, 5, 5);
        INDArray changed = x.dup();
        changed.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 4)).addi(1.0); // only group 1's input channels
        INDArray before = net.feedForward(x, false).get("grouped");
        INDArray after = net.feedForward(changed, false).get("grouped");
        assertEquals(before.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)),
                after.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)), "group 0's filters ignore channels 2-3");
        assertNotEquals(before.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6)),
                after.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6)), "group 1's filters read channels 2-3");
    }

    @Test
    void groupsMustDivideTheChannels() {
        assertThrows(IllegalArgumentException.class, () -> GradientChecks.network(OPTIONS,
                (graph, in) -> GroupedConvolution.convRelu(graph, "grouped", in, 4, 3, 6, 3, 1, 1)));
    }
}
