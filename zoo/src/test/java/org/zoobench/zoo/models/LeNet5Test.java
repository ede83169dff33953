package org.zoobench.zoo.models;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LeNet5Test {

    @Test
    void hasTheModernLeNet5ParameterCount() {
        // docs/reference-facts.md §1: 156 + 2,416 + 48,120 + 10,164 + 850.
        ModelEntry entry = ModelRegistry.get("lenet5");
        assertEquals(61_706, ModelProfile.of(entry, entry.defaultOptions()).trainableParams());
    }

    @Test
    void layerSizesFollowThePaper() {
        ComputationGraph net = ModelRegistry.get("lenet5").build(ModelRegistry.get("lenet5").defaultOptions());
        Map<String, INDArray> activations = net.feedForward(Nd4j.rand(1, 1, 28, 28), false);
        assertArrayEquals(new long[]{1, 6, 28, 28}, activations.get("c1").shape());
        assertArrayEquals(new long[]{1, 6, 14, 14}, activations.get("s2").shape());
        assertArrayEquals(new long[]{1, 16, 10, 10}, activations.get("c3").shape());
        assertArrayEquals(new long[]{1, 16, 5, 5}, activations.get("s4").shape());
        assertArrayEquals(new long[]{1, 120}, activations.get("c5").shape());
        assertArrayEquals(new long[]{1, 84}, activations.get("f6").shape());
        assertEquals(156, net.getLayer("c1").numParams());
        assertEquals(2_416, net.getLayer("c3").numParams());
        assertEquals(48_120, net.getLayer("c5").numParams());
    }

    @Test
    void classifiesABatchAtOtherInputsAndClassCounts() {
        ModelEntry entry = ModelRegistry.get("lenet5");
        ModelOptions options = ModelOptions.of(5, InputShape.image(3, 32, 32));
        ComputationGraph net = entry.build(options);
        INDArray out = net.outputSingle(Nd4j.rand(options.input().batchShape(4)));
        assertArrayEquals(new long[]{4, 5}, out.shape());
        // 32x32 -> s4 is 6x6: C5 reads 16 * 36 values.
        assertEquals(16 * 36 * 120 + 120, net.getLayer("c5").numParams());
    }
}
