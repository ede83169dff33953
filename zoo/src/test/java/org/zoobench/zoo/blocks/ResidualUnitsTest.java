package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.blocks.ResidualUnits.Shortcut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResidualUnitsTest {

    /** One input channel at 6x6; the downsampling units go to 2 channels at 3x3. Few weights keep checks fast. */
    private static final ModelOptions OPTIONS = GradientChecks.options(InputShape.image(1, 6, 6), 2);
    private static final int BATCH = 3;

    private static ComputationGraph basic(int width, int stride, Shortcut shortcut) {
        return GradientChecks.network(OPTIONS,
                (graph, in) -> ResidualUnits.basic(graph, "unit", in, 1, width, stride, shortcut));
    }

    @Test
    void basicUnitWithZeroPaddingShortcutGradients() {
        GradientChecks.assertGradientsMatch(basic(2, 2, Shortcut.ZERO_PADDING), OPTIONS, BATCH);
    }

    @Test
    void basicUnitWithProjectionShortcutGradients() {
        GradientChecks.assertGradientsMatch(basic(2, 2, Shortcut.PROJECTION), OPTIONS, BATCH);
    }

    @Test
    void bottleneckUnitWithProjectionShortcutGradients() {
        // 1 -> 1x1 to 1 -> 3x3/2 -> 1x1 to 4 channels, projected shortcut 1 -> 4.
        ComputationGraph net = GradientChecks.network(OPTIONS,
                (graph, in) -> ResidualUnits.bottleneck(graph, "unit", in, 1, 1, 2, Shortcut.PROJECTION));
        GradientChecks.assertGradientsMatch(net, OPTIONS, BATCH);
    }

    @Test
    void plainUnitGradients() {
        GradientChecks.assertGradientsMatch(basic(2, 2, Shortcut.NONE), OPTIONS, BATCH);
    }

    @Test
    void parameterCountsOfTheShortcutOptions() {
        long classifier = 4 * 2 + 2;
        // Branch: 3x3 1->4 (36) + BN over 4 (gamma, beta, and DL4J's running mean and var: 16) + 3x3 4->4 (144) + BN.
        long branch = 36 + 144 + 2 * 16;
        assertEquals(branch + classifier, basic(4, 2, Shortcut.ZERO_PADDING).numParams());
        assertEquals(branch + classifier, basic(4, 2, Shortcut.NONE).numParams());
        // Option B adds a 1x1 1->4 convolution and its BN.
        assertEquals(branch + 4 + 16 + classifier, basic(4, 2, Shortcut.PROJECTION).numParams());
        // Same shape in and out: identity, whatever the option.
        ModelOptions wide = GradientChecks.options(InputShape.image(4, 6, 6), 2);
        ComputationGraph identity = GradientChecks.network(wide,
                (graph, in) -> ResidualUnits.basic(graph, "unit", in, 4, 4, 1, Shortcut.PROJECTION));
        assertEquals(144 + 144 + 2 * 16 + classifier, identity.numParams());
    }

    /**
     * With the branch's last BatchNorm zeroed (gamma = beta = 0) the unit computes relu(shortcut(x)), so the
     * output shows exactly what the shortcut passes on.
     */
    @Test
    void zeroPaddingShortcutSubsamplesAndAppendsZeroChannels() {
        // 1 -> 4 channels: the input channel, then three zero channels.
        ComputationGraph net = basic(4, 2, Shortcut.ZERO_PADDING);
        silenceBranch(net, "unit_conv2_bn");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 1, 6, 6).subi(0.5);
        INDArray out = net.feedForward(x, false).get("unit");
        assertArrayEquals(new long[]{2, 4, 3, 3}, out.shape());
        INDArray subsampled = x.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 2, 6), NDArrayIndex.interval(0, 2, 6));
        assertEquals(Transforms.relu(subsampled, true),
                out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1)), "first channel: every second pixel");
        assertEquals(0.0, out.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4)).sumNumber().doubleValue(),
                "appended channels are zero");
    }

    @Test
    void identityShortcutPassesTheInputOn() {
        ModelOptions wide = GradientChecks.options(InputShape.image(4, 6, 6), 2);
        for (Shortcut shortcut : new Shortcut[]{Shortcut.ZERO_PADDING, Shortcut.PROJECTION}) {
            ComputationGraph net = GradientChecks.network(wide,
                    (graph, in) -> ResidualUnits.bottleneck(graph, "unit", in, 4, 1, 1, shortcut));
            silenceBranch(net, "unit_conv3_bn");
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 6, 6).subi(0.5);
            assertEquals(Transforms.relu(x, true), net.feedForward(x, false).get("unit"), shortcut.name());
        }
    }

    @Test
    void plainUnitHasNoShortcut() {
        ComputationGraph net = basic(4, 2, Shortcut.NONE);
        assertFalse(net.getConfiguration().getVertices().keySet().stream().anyMatch(v -> v.contains("shortcut")));
        silenceBranch(net, "unit_conv2_bn");
        INDArray out = net.feedForward(Nd4j.rand(DataType.DOUBLE, 1, 1, 6, 6), false).get("unit");
        assertEquals(0.0, out.sumNumber().doubleValue(), "nothing but the silenced branch reaches the output");
    }

    @Test
    void zeroPaddingNeedsAWholeMultipleOfTheInputChannels() {
        ModelOptions two = GradientChecks.options(InputShape.image(2, 6, 6), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientChecks.network(two,
                (graph, in) -> ResidualUnits.basic(graph, "unit", in, 2, 3, 2, Shortcut.ZERO_PADDING)));
        assertTrue(e.getMessage().contains("2 -> 3"), e.getMessage());
    }

    private static void silenceBranch(ComputationGraph net, String batchNorm) {
        net.getLayer(batchNorm).getParam("gamma").assign(0);
        net.getLayer(batchNorm).getParam("beta").assign(0);
    }
}
