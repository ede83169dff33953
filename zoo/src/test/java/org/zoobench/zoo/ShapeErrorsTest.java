package org.zoobench.zoo;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.junit.jupiter.api.Test;
import org.zoobench.UserInputException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeErrorsTest {

    /** conv1 5x5, 2x2 max pool, conv2 5x5 (padding as given), classifier: legal from 16x16 (no padding) up. */
    private static ModelEntry smallCnn(int conv2Padding) {
        return new ModelEntry("small-cnn", "test net", InputShape.image(1, 28, 28), 10, o ->
                new NeuralNetConfiguration.Builder().graphBuilder().addInputs("input")
                        .setInputTypes(o.input().toInputType())
                        .addLayer("conv1", new ConvolutionLayer.Builder(5, 5).nOut(4).build(), "input")
                        .addLayer("pool1", new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build(), "conv1")
                        .addLayer("conv2", new ConvolutionLayer.Builder(5, 5).padding(conv2Padding, conv2Padding)
                                .nOut(4).build(), "pool1")
                        .addLayer("output", new OutputLayer.Builder().nOut(o.numClasses()).build(), "conv2")
                        .setOutputs("output").build());
    }

    private static String error(ModelEntry entry, String input) {
        UserInputException e = assertThrows(UserInputException.class,
                () -> entry.configuration(entry.defaultOptions().withInput(InputShape.parse(input))));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void namesTheLayerWhereDl4jRefusesTheShape() {
        // 1x10x10 -> conv1 6x6 -> pool1 3x3 -> conv2's 5x5 kernel does not fit.
        assertEquals("input 1x10x10 is too small for 'small-cnn': spatial size reaches zero at layer 'conv2'"
                + " (kernel 5x5 on 3x3)", error(smallCnn(0), "1x10x10"));
        assertEquals("input 1x5x5 is too small for 'small-cnn': spatial size reaches zero at layer 'pool1'"
                + " (kernel 2x2 on 1x1)", error(smallCnn(0), "1x5x5"));
        assertTrue(error(smallCnn(0), "1x8x8").endsWith("at layer 'conv2' (kernel 5x5 on 2x2)"));
        assertTrue(error(smallCnn(1), "1x8x8").endsWith("at layer 'conv2' (kernel 5x5 with padding 1x1 on 2x2)"));
    }

    @Test
    void smallestLegalInputPasses() {
        assertDoesNotThrow(() -> smallCnn(0).configuration(smallCnn(0).defaultOptions()
                .withInput(InputShape.image(1, 16, 16))));
        assertDoesNotThrow(() -> smallCnn(1).configuration(smallCnn(1).defaultOptions()
                .withInput(InputShape.image(1, 12, 12))));
    }

    @Test
    void catchesSizesDl4jLetsReachZeroSilently() {
        // DL4J's ResNet50 at 64x64 builds (with a logged warning) and only fails at init; here it is a user error.
        assertEquals("input 3x64x64 is too small for 'dl4j-resnet50': spatial size reaches zero at layer 'avgpool'"
                + " (kernel 3x3 on 1x1)", error(ModelRegistry.get("dl4j-resnet50"), "3x64x64"));
        assertTrue(error(ModelRegistry.get("dl4j-alexnet"), "3x8x8")
                .startsWith("input 3x8x8 is too small for 'dl4j-alexnet': spatial size reaches zero at layer "));
    }

    @Test
    void oneDimensionalConvolutionOnTooFewSteps() {
        ModelEntry entry = new ModelEntry("conv1d", "test net", InputShape.sequence(2, 20), 3, o ->
                new NeuralNetConfiguration.Builder().graphBuilder().addInputs("input")
                        .setInputTypes(o.input().toInputType())
                        .addLayer("conv", new Convolution1DLayer.Builder().kernelSize(5).nOut(4).build(), "input")
                        .addLayer("pool", new GlobalPoolingLayer.Builder().build(), "conv")
                        .addLayer("output", new OutputLayer.Builder().nOut(o.numClasses()).build(), "pool")
                        .setOutputs("output").build());
        assertEquals("input 2x3 is too small for 'conv1d': spatial size reaches zero at layer 'conv'"
                + " (kernel 5 on 3 steps)", error(entry, "2x3"));
        assertDoesNotThrow(() -> entry.configuration(entry.defaultOptions().withInput(InputShape.sequence(2, 5))));
    }

    @Test
    void otherShapeMismatchesKeepDl4jsReasonOnOneLine() {
        String message = error(ModelRegistry.get("dl4j-lenet"), "28x28");
        assertTrue(message.startsWith("model 'dl4j-lenet' cannot take input 28x28: "), message);
    }
}
