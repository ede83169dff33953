package org.zoobench.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.zoobench.UserInputException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerImplTest {

    @Test
    void unknownImplementationIsAUserError() {
        assertEquals(LayerImpl.STOCK, LayerImpl.parse("Stock"));
        assertThrows(UserInputException.class, () -> LayerImpl.parse("turbo"));
    }

    /** A graph with no weights has no product to route, and runs as any other. */
    @Test
    void aGraphWithoutParametersTakesTheFastImplementation() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "in")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "relu")
                .setOutputs("loss").build());
        graph.init();
        LayerImpl.FAST.apply(graph);
        assertTrue(LayerImpl.FAST.runs(graph));
        float[][] input = {{-1f, 2f}, {3f, -4f}};
        assertArrayEquals(new float[][]{{0f, 2f}, {3f, 0f}},
                graph.outputSingle(Nd4j.create(input).castTo(DataType.FLOAT)).toFloatMatrix());
    }
}
