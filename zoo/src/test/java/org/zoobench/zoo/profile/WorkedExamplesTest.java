package org.zoobench.zoo.profile;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocallyConnected2D;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.InputShape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The worked examples of docs/reference-facts.md §3 (each written out as a test vector below): convolution and
 * pooling computed by DL4J's own layers with the examples' fixed weights, and the parameter counts read off the
 * profile of configurations that are never initialised (16 billion weights would not fit in memory).
 */
class WorkedExamplesTest {

    private static GraphBuilder graph(InputShape input) {
        return new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).graphBuilder()
                .addInputs("in").setInputTypes(input.toInputType());
    }

    /** Runs a single-layer graph whose weights are {@code weights} (no bias) on {@code input}. */
    private static INDArray apply(Layer layer, InputShape shape, double[] weights, INDArray input) {
        ComputationGraph net = new ComputationGraph(graph(shape).addLayer("layer", layer, "in").setOutputs("layer").build());
        net.init();
        if (weights != null) {
            INDArray w = net.getLayer("layer").getParam("W");
            w.assign(Nd4j.create(weights).reshape(w.shape()));
        }
        return net.outputSingle(input);
    }

    @Test
    void oneDimensionalConvolutionIsCrossCorrelation() {
        // x = [1,1,1,0,0], theta = [1,0,1] -> [2,1,1]
        INDArray x = Nd4j.create(new double[]{1, 1, 1, 0, 0}).reshape(1, 1, 5);
        Layer conv = new Convolution1DLayer.Builder().kernelSize(3).nOut(1).hasBias(false)
                .activation(Activation.IDENTITY).build();

        INDArray y = apply(conv, InputShape.sequence(1, 5), new double[]{1, 0, 1}, x);

        assertArrayEquals(new long[]{1, 1, 3}, y.shape());
        assertArrayEquals(new double[]{2, 1, 1}, y.reshape(3).toDoubleVector());
    }

    @Test
    void twoDimensionalConvolutionIsCrossCorrelation() {
        INDArray image = Nd4j.create(new double[][]{
                {1, 1, 1, 0, 0},
                {0, 1, 1, 1, 0},
                {0, 0, 1, 1, 1},
                {0, 0, 1, 1, 0},
                {0, 1, 1, 0, 0}}).reshape(1, 1, 5, 5);
        double[] kernel = {1, 0, 1, 0, 1, 0, 1, 0, 1};
        Layer conv = new ConvolutionLayer.Builder(3, 3).nOut(1).hasBias(false).activation(Activation.IDENTITY).build();

        INDArray y = apply(conv, InputShape.image(1, 5, 5), kernel, image);

        assertArrayEquals(new long[]{1, 1, 3, 3}, y.shape());
        assertArrayEquals(new double[][]{{4, 3, 4}, {2, 4, 3}, {2, 3, 4}}, y.reshape(3, 3).toDoubleMatrix());
    }

    @Test
    void twoByTwoMaxPoolingWithStrideTwo() {
        INDArray x = Nd4j.create(new double[][]{
                {1, 1, 2, 4},
                {5, 6, 7, 8},
                {3, 2, 1, 0},
                {1, 2, 3, 4}}).reshape(1, 1, 4, 4);
        Layer pool = new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();

        INDArray y = apply(pool, InputShape.image(1, 4, 4), null, x);

        assertArrayEquals(new double[][]{{6, 8}, {3, 4}}, y.reshape(2, 2).toDoubleMatrix());
    }

    private static ModelProfile profileOf(InputShape input, Layer layer) {
        ComputationGraphConfiguration conf = graph(input).addLayer("layer", layer, "in").setOutputs("layer").build();
        return ModelProfile.of(conf, input);
    }

    @Test
    void fullyConnectedImageLayerNeedsSixteenBillionWeights() {
        // A 200x200 image into 400,000 hidden units, every unit seeing every pixel.
        ModelProfile fc = profileOf(InputShape.image(1, 200, 200),
                new DenseLayer.Builder().nOut(400_000).hasBias(false).build());
        assertEquals(16_000_000_000L, fc.trainableParams());
        assertEquals(16_000_000_000L, fc.macs());
    }

    @Test
    void tenByTenLocalFieldsNeedFortyMillion() {
        // The same 400,000 units as 10 maps of 200x200, each unit seeing only a 10x10 patch (no weight sharing).
        ModelProfile local = profileOf(InputShape.image(1, 200, 200), new LocallyConnected2D.Builder()
                .nOut(10).kernelSize(10, 10).convolutionMode(ConvolutionMode.Same).hasBias(false).build());
        assertEquals("10x200x200", local.outputShape());
        assertEquals(40_000_000L, local.trainableParams());
    }

    @Test
    void alexNetFirstLayerAgainstAFullyConnectedOne() {
        // 96 kernels of 11x11: 11,616 weights per input channel.
        ModelProfile conv = profileOf(InputShape.image(1, 224, 224), new ConvolutionLayer.Builder(11, 11)
                .stride(4, 4).padding(2, 2).nOut(96).hasBias(false).build());
        assertEquals(96 * 11 * 11, conv.trainableParams());
        assertEquals(11_616, conv.trainableParams());
        assertEquals("96x55x55", conv.outputShape());

        // A fully connected layer from the 224x224x3 image to the same 55x55x96 outputs: about 4.4e10 weights.
        ModelProfile fc = profileOf(InputShape.image(3, 224, 224),
                new DenseLayer.Builder().nOut(55 * 55 * 96).hasBias(false).build());
        assertEquals(150_528L * 290_400L, fc.trainableParams());
        assertEquals(4.4e10, fc.trainableParams(), 0.05e10);
    }

    @Test
    void flattenedFourteenByFourteenBySixtyFourMap() {
        InputShape input = InputShape.image(64, 14, 14);
        ComputationGraphConfiguration conf = graph(input)
                .addLayer("fc", new DenseLayer.Builder().nOut(1).hasBias(false).build(), "in")
                .setOutputs("fc").build();
        assertEquals(12_544, ModelProfile.of(conf, input).layer("fc").trainableParams());
    }

    @Test
    void fullyConnectedStackCostsTheSumOfProducts() {
        // n1 n2 + n2 n3 + n3 n4 for 784 -> 300 -> 100 -> 10.
        InputShape input = InputShape.image(1, 28, 28);
        ComputationGraphConfiguration conf = graph(input)
                .addLayer("fc1", new DenseLayer.Builder().nOut(300).hasBias(false).build(), "in")
                .addLayer("fc2", new DenseLayer.Builder().nOut(100).hasBias(false).build(), "fc1")
                .addLayer("fc3", new DenseLayer.Builder().nOut(10).hasBias(false).build(), "fc2")
                .setOutputs("fc3").build();
        assertEquals(784 * 300 + 300 * 100 + 100 * 10, ModelProfile.of(conf, input).trainableParams());
    }

    @Test
    void oneDimensionalFilterOfWidthMCostsM() {
        for (int m : new int[]{1, 3, 7}) {
            ModelProfile conv = profileOf(InputShape.sequence(1, 50),
                    new Convolution1DLayer.Builder().kernelSize(m).nOut(1).hasBias(false).build());
            assertEquals(m, conv.trainableParams());
        }
    }
}
