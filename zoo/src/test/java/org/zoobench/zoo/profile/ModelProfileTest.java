package org.zoobench.zoo.profile;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.zoobench.zoo.InputShape;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ModelProfileTest {

    private static GraphBuilder graph(InputShape input) {
        return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in").setInputTypes(input.toInputType());
    }

    @Test
    void convolutionPoolingAndFullyConnectedLayersByHand() {
        InputShape input = InputShape.image(1, 8, 8);
        ComputationGraphConfiguration conf = graph(input)
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build(), "conv")
                .addLayer("fc", new DenseLayer.Builder().nOut(10).build(), "pool")
                .addLayer("out", new OutputLayer.Builder().nOut(5).build(), "fc")
                .setOutputs("out").build();

        ModelProfile p = ModelProfile.of(conf, input);

        // conv: 6x6 outputs x 4 channels, each 3x3x1 MACs; weights 4*9 plus 4 biases.
        assertEquals("4x6x6", p.layer("conv").outputShape());
        assertEquals(6 * 6 * 4 * 9, p.layer("conv").macs());
        assertEquals(4 * 9 + 4, p.layer("conv").trainableParams());
        assertEquals(4 * 6 * 6 * 4, p.layer("conv").activationBytes());
        assertEquals("3x3 s1", p.layer("conv").detail());
        // pooling: no parameters, no MACs by the convention.
        assertEquals("4x3x3", p.layer("pool").outputShape());
        assertEquals(0, p.layer("pool").macs());
        // fc reads the flattened 4x3x3 = 36 values.
        assertEquals(36 * 10, p.layer("fc").macs());
        assertEquals(36 * 10 + 10, p.layer("fc").trainableParams());
        assertEquals(10 * 5, p.layer("out").macs());
        assertEquals("5", p.outputShape());

        assertEquals(40 + 370 + 55, p.trainableParams());
        assertEquals(1296 + 360 + 50, p.macs());
        assertEquals(2 * p.macs(), p.flops());
        assertEquals(4 * (144 + 36 + 10 + 5), p.activationBytes());
        assertEquals(4, p.layers().size());
    }

    @Test
    void batchNormRunningStatisticsAreNotTrainable() {
        InputShape input = InputShape.image(3, 5, 5);
        ComputationGraphConfiguration conf = graph(input)
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(8).hasBias(false).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .setOutputs("bn").build();

        ModelProfile p = ModelProfile.of(conf, input);

        assertEquals(4 * 8, conf.getVertices().get("bn").numParams(false), "DL4J's table: gamma, beta, mean, var");
        assertEquals(2 * 8, p.layer("bn").trainableParams());
        assertEquals(8 * 3 * 9 + 16, p.trainableParams());
    }

    @Test
    void recurrentLayersCostTheirGatesTimesSequenceLength() {
        int steps = 7;
        InputShape input = InputShape.sequence(3, steps);
        ComputationGraphConfiguration conf = graph(input)
                .addLayer("lstm", new LSTM.Builder().nOut(5).build(), "in")
                .addLayer("graves", new GravesLSTM.Builder().nOut(5).build(), "lstm")
                .addLayer("rnn", new SimpleRnn.Builder().nOut(4).build(), "graves")
                .addLayer("bi", new Bidirectional(new LSTM.Builder().nOut(3).build()), "rnn")
                .addLayer("out", new RnnOutputLayer.Builder().nOut(2).build(), "bi")
                .setOutputs("out").build();

        ModelProfile p = ModelProfile.of(conf, input);

        assertEquals(steps * 4 * (3 + 5) * 5, p.layer("lstm").macs());
        assertEquals(4 * (3 * 5 + 5 * 5 + 5), p.layer("lstm").trainableParams());
        assertEquals(steps * (4 * (5 + 5) * 5 + 3 * 5), p.layer("graves").macs(), "plus three peephole vectors");
        assertEquals(steps * (5 + 4) * 4, p.layer("rnn").macs());
        assertEquals(2 * steps * 4 * (4 + 3) * 3, p.layer("bi").macs(), "two directions");
        assertEquals("6x7", p.layer("bi").outputShape(), "concatenated directions");
        assertEquals(steps * 6 * 2, p.layer("out").macs(), "output layer applied per step");
        assertEquals("2x7", p.outputShape());
        assertEquals(4L * 2 * steps, p.layer("out").activationBytes());
    }

    @Test
    void oneDimensionalConvolutionCountsOutputSteps() {
        InputShape input = InputShape.sequence(2, 10);
        ComputationGraphConfiguration conf = graph(input)
                .addLayer("conv1d", new Convolution1DLayer.Builder().kernelSize(3).nOut(4).build(), "in")
                .setOutputs("conv1d").build();

        LayerProfile conv = ModelProfile.of(conf, input).layer("conv1d");

        assertEquals("4x8", conv.outputShape());
        assertEquals(8 * 4 * 2 * 3, conv.macs());
        assertEquals(4 * 2 * 3 + 4, conv.trainableParams());
    }

    /**
     * Two groups built from vertices cost half the MACs and weights of the ungrouped convolution. (DL4J 1.0.0-M2.1
     * infers 0 channels for an image SubsetVertex and would override a stated nIn with it, so this graph states
     * its nIn and is built without input types.)
     */
    @Test
    void groupedConvolutionFromSubsetVertices() {
        InputShape input = InputShape.image(4, 6, 6);
        ComputationGraphConfiguration grouped = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addVertex("g1_in", new SubsetVertex(0, 1), "in")
                .addVertex("g2_in", new SubsetVertex(2, 3), "in")
                .addLayer("g1", new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(2).hasBias(false).build(), "g1_in")
                .addLayer("g2", new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(2).hasBias(false).build(), "g2_in")
                .addVertex("merge", new MergeVertex(), "g1", "g2")
                .setOutputs("merge").build();
        ComputationGraphConfiguration full = graph(input)
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false).build(), "in")
                .setOutputs("conv").build();

        ModelProfile g = ModelProfile.of(grouped, input);
        ModelProfile f = ModelProfile.of(full, input);

        assertEquals(2 * (4 * 4 * 2 * 2 * 9), g.macs());
        assertEquals(f.macs() / 2, g.macs());
        assertEquals(f.trainableParams() / 2, g.trainableParams());
        assertEquals("4x4x4", g.outputShape());
        assertEquals("2x6x6", g.layer("g1_in").outputShape());
    }

    @Test
    void profilingLeavesTheConfigurationUntouched() {
        InputShape input = InputShape.image(1, 8, 8);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(2).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nIn(72).nOut(3).build(), "conv")
                .setOutputs("out").build();
        String before = conf.toJson();

        ModelProfile p = ModelProfile.of(conf, input);

        assertEquals(before, conf.toJson());
        assertEquals(72 * 3, p.layer("out").macs(), "preprocessor inferred on the profile's copy");
    }
}
