package org.zoobench.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.blocks.RecurrentBlocks.Cell;
import org.zoobench.zoo.blocks.RecurrentBlocks.Merge;
import org.zoobench.zoo.models.RecurrentClassifier.Head;
import org.zoobench.zoo.models.RecurrentClassifier;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;
import static org.zoobench.layers.StockVsFast.assertClose;
import static org.zoobench.layers.StockVsFast.gradients;
import static org.zoobench.layers.StockVsFast.labels;

/**
 * Fast layers compute what the stock layers compute. The native kernels sum in a different order from Java
 * im2col + gemm, so results differ by rounding: in double precision by about 1e-12 relative, which the registry-wide
 * check bounds at {@value #DOUBLE_TOLERANCE}; a wrong index, transposed weight or missing term would move values by
 * 1e-2 or more. In float32 rounding differences are about 1e-7 per operation and grow with depth: a BatchNorm that
 * normalises a small-variance activation divides by its standard deviation and magnifies them, up to 1e-2 in the
 * gradient of a 110-layer plain net (and the same between two stock runs summed in another order), so float32 is
 * checked at {@value #FLOAT_TOLERANCE} on the nets the suites train, at the inputs the suites plan (the experiments
 * module's {@code SuiteNetsComputeTheSameTest}, which reads the plans), and here on layers and small graphs.
 */
class FastLayersTest {

    private static final double DOUBLE_TOLERANCE = 1e-6;
    private static final double FLOAT_TOLERANCE = 1e-4;
    private static final int BATCH = 4;
    /** The registry-wide comparison's batch: two examples still give batch norm a batch to normalise over. */
    private static final int REGISTRY_BATCH = 2;
    /** Square sides tried for each image model, smallest first, up to its own. */
    private static final int[] SIDES = {8, 16, 24, 32, 48, 64, 96, 128, 160, 192, 224};
    /**
     * Positions per channel and example every batch norm needs. Over 2 examples of a 1x1 map a batch norm outputs
     * little more than the sign of their difference, and a deep net of such layers turns rounding in the last bit
     * into a different loss, in double as in float and between two stock runs alike.
     */
    private static final int BATCH_NORM_POSITIONS = 4;

    /**
     * Every registered model, none left out: in double, at the smallest input its layers take with every batch norm
     * normalising over at least {@value #BATCH_NORM_POSITIONS} positions per example (ImageNet models at 48x48 to
     * 64x64, with 10 classes where they take them), so that even a 60M-parameter net costs seconds.
     */
    @TestFactory
    Stream<DynamicTest> everyRegisteredModelComputesTheSameInDouble() {
        return ModelRegistry.all().stream().map(entry -> DynamicTest.dynamicTest(entry.name(),
                () -> StockVsFast.compare(entry, smallestOptions(entry).withDataType(DataType.DOUBLE),
                        REGISTRY_BATCH, DOUBLE_TOLERANCE)));
    }

    /** The model at the smallest of {@link #SIDES} it takes as described above, with 10 classes where it can. */
    private static ModelOptions smallestOptions(ModelEntry entry) {
        if (!(entry.defaultInput() instanceof InputShape.Image def)) {
            return entry.defaultOptions();
        }
        for (int side : SIDES) {
            if (side >= def.height() && side >= def.width()) {
                break;
            }
            for (ModelOptions options : List.of(entry.defaultOptions().withClasses(10), entry.defaultOptions())) {
                ModelOptions small = options.withInput(InputShape.image(def.channels(), side, side));
                try {
                    if (batchNormsHaveRoom(entry.configuration(small), small.input())) {
                        return small;
                    }
                } catch (UserInputException tooSmall) {
                    // try the next size
                }
            }
        }
        return entry.defaultOptions();
    }

    private static boolean batchNormsHaveRoom(ComputationGraphConfiguration conf, InputShape input) {
        Map<String, InputType> types = conf.getLayerActivationTypes(input.toInputType());
        return conf.getVertices().entrySet().stream()
                .filter(v -> v.getValue() instanceof LayerVertex layer
                        && layer.getLayerConf().getLayer() instanceof BatchNormalization)
                .map(v -> types.get(v.getKey()))
                .allMatch(type -> !(type instanceof InputType.InputTypeConvolutional map)
                        || map.getHeight() * map.getWidth() >= BATCH_NORM_POSITIONS);
    }

    /** Floating-point types the LSTM comparisons run in, each with the tolerance it is held to. */
    enum Precision {
        DOUBLE(DataType.DOUBLE, DOUBLE_TOLERANCE), FLOAT(DataType.FLOAT, FLOAT_TOLERANCE);

        final DataType type;
        final double tolerance;

        Precision(DataType type, double tolerance) {
            this.type = type;
            this.tolerance = tolerance;
        }
    }

    /**
     * Variable-length sequences through whole graphs: the zoo's bidirectional stack (which reverses only each
     * sequence's real steps) and DL4J's Bidirectional wrapper. In a ComputationGraph DL4J never hands the mask to
     * an LSTM layer (its feedForwardMaskArray does not keep it), so this compares everything around the LSTMs;
     * {@link #anLstmComputesTheSameOnMaskedSequences} compares the LSTM's own treatment of masked steps.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void maskedLstmsComputeTheSame(Precision precision) {
        // bilstm-max's layers without its dropout, which DL4J cannot apply to masked sequences
        RecurrentClassifier zooModel = RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 2, 16, 0, Head.MAX);
        ModelOptions options = ModelOptions.of(10, InputShape.sequence(6, 9)).withDataType(precision.type);
        compareMasked(graph(zooModel.configuration(options), LayerImpl.STOCK),
                graph(zooModel.configuration(options), LayerImpl.FAST), precision, 6, 9, false);

        compareMasked(graph(bidirectionalTagger(precision.type), LayerImpl.STOCK),
                graph(bidirectionalTagger(precision.type), LayerImpl.FAST), precision, 3, 7, true);
    }

    private static ComputationGraph graph(ComputationGraphConfiguration conf, LayerImpl impl) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.initGradientsView(); // for layers driven directly, outside fit
        return impl.apply(net);
    }

    /**
     * DL4J's LSTM zeroes a masked step's output and the cell state carried on, but backpropagates as if unmasked,
     * so errors reach masked steps and their inputs; the fast LSTM must do the same whatever the mask: padding at
     * the end, at the start (DL4J's Bidirectional wrapper reverses the whole padded sequence for its backward
     * LSTM), a gap in the middle, and a single real step. The mask reaches the layer as MultiLayerNetwork and the
     * Bidirectional wrapper hand it over, through {@code setMaskArray}.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void anLstmComputesTheSameOnMaskedSequences(Precision precision) {
        Layer stock = graph(bidirectionalTagger(precision.type), LayerImpl.STOCK).getLayer("bilstm");
        Layer fast = graph(bidirectionalTagger(precision.type), LayerImpl.FAST).getLayer("bilstm");
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.rand(precision.type, BATCH, 3, 7).subi(0.5);
        INDArray outputError = Nd4j.rand(precision.type, BATCH, 10, 7).subi(0.5);
        INDArray mask = stepMask(precision.type, 7);
        LayerPass stockPass = LayerPass.of(stock, input, mask, outputError);
        LayerPass fastPass = LayerPass.of(fast, input, mask, outputError);
        assertClose(stockPass.output(), fastPass.output(), precision.tolerance, "output");
        assertClose(stockPass.inputGradient(), fastPass.inputGradient(), precision.tolerance, "input gradient");
        stockPass.gradients().forEach((name, g) ->
                assertClose(g, fastPass.gradients().get(name), precision.tolerance, "gradient of " + name));
    }

    /** A layer driven directly: its training output, then the input and parameter gradients for an output error. */
    private record LayerPass(INDArray output, INDArray inputGradient, Map<String, INDArray> gradients) {

        static LayerPass of(Layer layer, INDArray input, INDArray mask, INDArray outputError) {
            layer.setInput(input, LayerWorkspaceMgr.noWorkspaces());
            layer.setMaskArray(mask);
            INDArray output = layer.activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();
            Pair<Gradient, INDArray> backward = layer.backpropGradient(outputError, LayerWorkspaceMgr.noWorkspaces());
            Map<String, INDArray> gradients = new java.util.LinkedHashMap<>();
            backward.getFirst().gradientForVariable().forEach((name, g) -> gradients.put(name, g.dup()));
            INDArray inputGradient = backward.getSecond();
            return new LayerPass(output, inputGradient == null ? null : inputGradient.dup(), gradients);
        }
    }

    /**
     * A batch norm layer on activations far from zero (mean 50, spread 0.1: every deviation from the mean is a
     * few ulps of the value, where summing squares from zero would lose them), on an odd 5x7 map (loop tails) or
     * on vectors (a batch norm after a dense layer), and on a view (a slice of a larger array, which the float loops
     * copy first): forward in training, the input, gamma and beta gradients and the running-statistics updates
     * (of the variance, or of log10 of the standard deviation, DL4J's default), then inference from those
     * statistics. The fast layer is {@link FastBatchNormalization}, whose own code computes the float32 cases.
     */
    @ParameterizedTest
    @CsvSource({"DOUBLE, true, 5x7", "DOUBLE, false, 5x7", "FLOAT, true, 5x7", "FLOAT, false, 5x7",
            "FLOAT, true, vectors", "FLOAT, false, vectors"})
    void aBatchNormComputesTheSameOnOffsetActivations(Precision precision, boolean logStd, String shape) {
        boolean vectors = shape.equals("vectors");
        Layer stock = graph(batchNormOnly(precision.type, logStd, vectors), LayerImpl.STOCK).getLayer("bn");
        Layer fast = graph(batchNormOnly(precision.type, logStd, vectors), LayerImpl.FAST).getLayer("bn");
        assertTrue(fast instanceof FastBatchNormalization);
        Nd4j.getRandom().setSeed(5);
        INDArray input;
        INDArray outputError;
        if (vectors) {
            INDArray wider = Nd4j.rand(precision.type, BATCH + 2, 5).subi(0.5).muli(0.2).addi(50);
            input = wider.get(interval(1, BATCH + 1), interval(1, 4));
            outputError = Nd4j.rand(precision.type, BATCH, 3).subi(0.5);
        } else {
            INDArray wider = Nd4j.rand(precision.type, BATCH, 5, 5, 7).subi(0.5).muli(0.2).addi(50);
            input = wider.get(interval(0, BATCH), interval(1, 4), interval(0, 5), interval(0, 7));
            outputError = Nd4j.rand(precision.type, BATCH, 3, 5, 7).subi(0.5);
        }
        for (Layer layer : new Layer[]{stock, fast}) {
            layer.params().assign(Nd4j.linspace(precision.type, 0.5, 1.5, layer.numParams()));
        }
        LayerPass stockPass = LayerPass.of(stock, input, null, outputError);
        LayerPass fastPass = LayerPass.of(fast, input, null, outputError);
        assertClose(stockPass.output(), fastPass.output(), precision.tolerance, "training output");
        assertClose(stockPass.inputGradient(), fastPass.inputGradient(), precision.tolerance, "input gradient");
        Map<String, INDArray> stockGradients = stockPass.gradients();
        Map<String, INDArray> fastGradients = fastPass.gradients();
        assertEquals(List.copyOf(stockGradients.keySet()), List.copyOf(fastGradients.keySet()));
        stockGradients.forEach((name, g) -> assertClose(g, fastGradients.get(name), precision.tolerance,
                "gradient of " + name));

        for (Layer layer : new Layer[]{stock, fast}) {
            layer.params().subi(layer == stock ? flat(stockGradients, layer) : flat(fastGradients, layer));
        }
        assertClose(stock.activate(input, false, LayerWorkspaceMgr.noWorkspaces()),
                fast.activate(input, false, LayerWorkspaceMgr.noWorkspaces()), precision.tolerance,
                "inference output after a step");
    }

    /**
     * A float32 convolution, which oneDNN computes with primitives the layer builds per input shape, against
     * DL4J's im2col + gemm in every configuration the primitives translate: strides, zero and asymmetric ("Same")
     * padding, dilation, 1x1 kernels (kept in plain layouts), no bias, channels-last activations, an input that is
     * a view of a larger array, and truncating layers whose windows leave the input's last rows unread (negative
     * padding for oneDNN). Forward in training, the input, weight and bias gradients, and oneDNN did compute them.
     */
    @ParameterizedTest
    @CsvSource({
            "3x3 stride 1 pad 1,     8, 3, 1, 1, 1, Truncate, true,  NCHW, 16",
            "3x3 stride 2 pad 1,     8, 3, 2, 1, 1, Truncate, true,  NCHW, 16",
            "5x5 same stride 2,      6, 5, 2, 0, 1, Same,     true,  NCHW, 15",
            "3x3 dilation 2,         4, 3, 1, 2, 2, Truncate, true,  NCHW, 13",
            "1x1 stride 2 no bias,  12, 1, 2, 0, 1, Truncate, false, NCHW, 16",
            "3x3 no bias,            8, 3, 1, 1, 1, Truncate, false, NCHW, 9",
            "3x3 channels last,      8, 3, 1, 1, 1, Truncate, true,  NHWC, 12",
            "3x3 same channels last, 8, 3, 1, 0, 1, Same,     true,  NHWC, 11",
            "rows left unread,       8, 3, 2, 0, 1, Truncate, true,  NCHW, 12"
    })
    void aFloatConvolutionComputesTheSameInEveryConfiguration(String name, int outChannels, int kernel, int stride,
                                                                int pad, int dilation, ConvolutionMode mode,
                                                                boolean bias, CNN2DFormat format, int side) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .convolutionMode(mode)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(side, side, 5, format))
                // A layer between: a convolution reading the network's input skips its input gradient.
                .addLayer("before", new ActivationLayer(Activation.IDENTITY), "in")
                .addLayer("conv", new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride)
                        .padding(pad, pad).dilation(dilation, dilation).nOut(outChannels).hasBias(bias)
                        .dataFormat(format).activation(Activation.IDENTITY).build(), "before")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).format(format)
                        .activation(Activation.IDENTITY).build(), "conv")
                .setOutputs("out")
                .build();
        Layer stock = graph(conf, LayerImpl.STOCK).getLayer("conv");
        Layer fast = graph(conf, LayerImpl.FAST).getLayer("conv");
        Nd4j.getRandom().setSeed(9);
        long[] shape = format == CNN2DFormat.NCHW ? new long[]{BATCH, 5, side, side} : new long[]{BATCH, side, side, 5};
        INDArray wider = Nd4j.rand(DataType.FLOAT, BATCH + 1, shape[1], shape[2], shape[3]).subi(0.5);
        INDArray input = wider.get(interval(1, BATCH + 1), interval(0, shape[1]), interval(0, shape[2]),
                interval(0, shape[3]));
        fast.params().assign(stock.params());
        INDArray output = stock.activate(input, false, LayerWorkspaceMgr.noWorkspaces());
        INDArray outputError = Nd4j.rand(DataType.FLOAT, output.shape()).subi(0.5);
        LayerPass stockPass = LayerPass.of(stock, input, null, outputError);
        LayerPass fastPass = LayerPass.of(fast, input, null, outputError);
        assertClose(stockPass.output(), fastPass.output(), FLOAT_TOLERANCE, name + ": output");
        assertClose(stockPass.inputGradient(), fastPass.inputGradient(), FLOAT_TOLERANCE, name + ": input gradient");
        assertEquals(stockPass.gradients().keySet(), fastPass.gradients().keySet());
        stockPass.gradients().forEach((param, g) -> assertClose(g, fastPass.gradients().get(param), FLOAT_TOLERANCE,
                name + ": gradient of " + param));
        NativeConvolutionHelper helper = (NativeConvolutionHelper)
                ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) fast).getHelper();
        assertEquals(1, helper.oneDnnShapes(), name + ": input shapes oneDNN computed");
    }

    /**
     * Nothing reads the gradient with respect to the network's input, so a fast convolution reading it skips that
     * product (a stem's largest backward one): its backward pass hands DL4J no input gradient, its parameter
     * gradients stay the stock layer's, and a training step of the graph gives the stock graph's parameters. With a
     * layer between, or dropout on its input, the gradient is computed as before.
     */
    @Test
    void aConvolutionReadingTheNetworkInputSkipsOnlyTheGradientNothingReads() {
        ComputationGraphConfiguration conf = stemAndHead(false);
        ComputationGraph stockGraph = graph(conf, LayerImpl.STOCK);
        ComputationGraph fastGraph = graph(conf, LayerImpl.FAST);
        assertTrue(LayerImpl.inputGradientUnread(fastGraph, fastGraph.getLayer("stem")));
        assertFalse(LayerImpl.inputGradientUnread(fastGraph, fastGraph.getLayer("next")), "reads the stem");
        ComputationGraph withDropout = graph(stemAndHead(true), LayerImpl.FAST);
        assertFalse(LayerImpl.inputGradientUnread(withDropout, withDropout.getLayer("stem")), "dropout on its input");

        Nd4j.getRandom().setSeed(4);
        INDArray input = Nd4j.rand(DataType.FLOAT, BATCH, 3, 12, 12).subi(0.5);
        INDArray outputError = Nd4j.rand(DataType.FLOAT, BATCH, 8, 6, 6).subi(0.5);
        LayerPass stockPass = LayerPass.of(stockGraph.getLayer("stem"), input, null, outputError);
        LayerPass fastPass = LayerPass.of(fastGraph.getLayer("stem"), input, null, outputError);
        assertNull(fastPass.inputGradient(), "no input gradient computed");
        assertClose(stockPass.output(), fastPass.output(), FLOAT_TOLERANCE, "output");
        stockPass.gradients().forEach((param, g) -> assertClose(g, fastPass.gradients().get(param), FLOAT_TOLERANCE,
                "gradient of " + param));

        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, 3);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        stockGraph.fit(new INDArray[]{input}, new INDArray[]{labels});
        fastGraph.fit(new INDArray[]{input}, new INDArray[]{labels});
        assertClose(stockGraph.params(), fastGraph.params(), FLOAT_TOLERANCE, "parameters after a training step");
    }

    /**
     * A pooling layer over single positions (an option-A shortcut's subsampling) is a strided copy: on maps the
     * stride divides (the copy) and does not (DL4J's op), from an input in C order or held channels-last, its output
     * and its input gradient (zeros but at the kept positions) are DL4J's, bit for bit.
     */
    @ParameterizedTest
    @CsvSource({"MAX, 2, 8, false", "MAX, 2, 8, true", "AVG, 3, 9, true", "MAX, 2, 7, true", "AVG, 3, 8, false"})
    void aSinglePositionPoolingCopiesTheKeptPositions(PoolingType pooling, int stride, int side, boolean held) {
        Layer stock = graph(poolingOnly(pooling, stride, side), LayerImpl.STOCK).getLayer("pool");
        Layer fast = graph(poolingOnly(pooling, stride, side), LayerImpl.FAST).getLayer("pool");
        assertTrue(fast instanceof FastSubsamplingLayer);
        Nd4j.getRandom().setSeed(6);
        INDArray input = Nd4j.randn(DataType.FLOAT, BATCH, 5, side, side);
        INDArray given = held ? ChannelsLast.held(input, LayerWorkspaceMgr.noWorkspaces(), ArrayType.INPUT) : input;
        long kept = (side + stride - 1) / stride;
        INDArray outputError = Nd4j.randn(DataType.FLOAT, BATCH, 5, kept, kept);
        LayerPass stockPass = LayerPass.of(stock, input, null, outputError);
        LayerPass fastPass = LayerPass.of(fast, given, null, outputError);
        assertArrayEquals(new long[]{BATCH, 5, kept, kept}, fastPass.output().shape());
        assertTrue(stockPass.output().equalsWithEps(fastPass.output(), 0), "output");
        assertTrue(stockPass.inputGradient().equalsWithEps(fastPass.inputGradient(), 0), "input gradient");
    }

    private static ComputationGraphConfiguration poolingOnly(PoolingType pooling, int stride, int side) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(side, side, 5))
                .addLayer("pool", new SubsamplingLayer.Builder(pooling).kernelSize(1, 1).stride(stride, stride)
                        .build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out")
                .build();
    }

    /** A stride-2 stem reading the network's input (with dropout there where asked), a second convolution, a head. */
    private static ComputationGraphConfiguration stemAndHead(boolean dropout) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(12, 12, 3))
                .addLayer("stem", new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).nOut(8)
                        .activation(Activation.RELU).dropOut(dropout ? 0.9 : 0).build(), "in")
                .addLayer("next", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4)
                        .activation(Activation.RELU).build(), "stem")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "next")
                .setOutputs("out")
                .build();
    }

    /**
     * The fast dense layer reuses its forward pre-activation in the backward pass. The next layer's dropout may
     * scale this layer's output in place, and a layer with dropout on its own input must see the same dropped-out
     * input in both passes: three training steps of such a net stay equal to DL4J's, parameters and outputs.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void denseLayersKeepingTheirPreOutputTrainTheSame(Precision precision) {
        ComputationGraph stock = graph(denseWithDropout(precision.type), LayerImpl.STOCK);
        ComputationGraph fast = graph(denseWithDropout(precision.type), LayerImpl.FAST);
        assertTrue(fast.getLayer("fc1") instanceof KeptPreOutputDenseLayer);
        assertTrue(LayerImpl.FAST.runs(fast) && LayerImpl.STOCK.runs(stock) && !LayerImpl.STOCK.runs(fast));
        Nd4j.getRandom().setSeed(8);
        INDArray input = Nd4j.rand(precision.type, 16, 12).subi(0.5);
        INDArray labels = labels(Nd4j.zeros(precision.type, 16, 4), 4);
        for (int step = 0; step < 3; step++) {
            Map<String, INDArray> fastGradients = gradients(fast, input, labels);
            int at = step;
            gradients(stock, input, labels).forEach((name, g) -> assertClose(g, fastGradients.get(name),
                    precision.tolerance, "gradient of " + name + " at step " + (at + 1)));
            for (ComputationGraph net : new ComputationGraph[]{stock, fast}) {
                Nd4j.getRandom().setSeed(20 + step); // the same dropout masks
                net.fit(new INDArray[]{input}, new INDArray[]{labels});
            }
            assertClose(stock.params(), fast.params(), precision.tolerance, "parameters after step " + (step + 1));
        }
        assertClose(stock.outputSingle(input), fast.outputSingle(input), precision.tolerance, "output");
        LayerImpl.STOCK.apply(fast);
        assertTrue(LayerImpl.STOCK.runs(fast), "the swap back restores DL4J's own dense layers");
    }

    private static ComputationGraphConfiguration denseWithDropout(DataType type) {
        return new NeuralNetConfiguration.Builder().seed(4).dataType(type)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(12))
                .addLayer("fc1", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "in")
                .addLayer("fc2", new DenseLayer.Builder().nOut(16).activation(Activation.TANH).dropOut(0.5).build(),
                        "fc1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "fc2")
                .setOutputs("out")
                .build();
    }

    /** A layer's gradients in its parameter order, as one row like {@code params()}. */
    private static INDArray flat(Map<String, INDArray> gradients, Layer layer) {
        return Nd4j.toFlattened(layer.paramTable().keySet().stream().map(gradients::get).toArray(INDArray[]::new));
    }

    private static ComputationGraphConfiguration batchNormOnly(DataType type, boolean logStd, boolean vectors) {
        return new NeuralNetConfiguration.Builder().seed(4).dataType(type)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(vectors ? InputType.feedForward(3) : InputType.convolutional(5, 7, 3))
                .addLayer("bn", new BatchNormalization.Builder().useLogStd(logStd).build(), "in")
                .addLayer("out", vectors
                        ? new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build()
                        : new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "bn")
                .setOutputs("out")
                .build();
    }

    /** Per example: all steps real, padded at the end, a gap of two steps, a single real step. */
    private static INDArray stepMask(DataType type, int steps) {
        INDArray mask = Nd4j.ones(type, BATCH, steps);
        mask.get(point(1), interval(steps - 3, steps)).assign(0);
        mask.get(point(2), interval(2, 4)).assign(0);
        mask.get(point(3), interval(1, steps)).assign(0);
        return mask;
    }

    /** DL4J's own Bidirectional wrapper around an LSTM, labelling every step. */
    private static ComputationGraphConfiguration bidirectionalTagger(DataType type) {
        return new NeuralNetConfiguration.Builder().seed(4).dataType(type)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(3, 7))
                .addLayer("bilstm", new Bidirectional(new LSTM.Builder().nOut(5).activation(Activation.TANH).build()), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "bilstm")
                .setOutputs("out")
                .build();
    }

    private static void compareMasked(ComputationGraph stock, ComputationGraph fast, Precision precision,
                                      int features, int steps, boolean perStepLabels) {
        assertTrue(LayerImpl.FAST.runs(fast) && LayerImpl.STOCK.runs(stock));
        assertFalse(LayerImpl.STOCK.runs(fast), "the fast graph's LSTMs have the fast helper");
        assertEquals(stock.params(), fast.params(), "same initial parameters");
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.rand(precision.type, BATCH, features, steps).subi(0.5);
        INDArray mask = Nd4j.ones(precision.type, BATCH, steps);
        mask.get(point(1),
                interval(steps - 3, steps)).assign(0); // padded at the end
        mask.get(point(2),
                interval(2, 4)).assign(0);             // a gap
        mask.get(point(3),
                interval(1, steps)).assign(0);         // one real step
        INDArray[] inputMasks = {mask};
        INDArray[] labelMasks = {perStepLabels ? mask : null};

        INDArray stockOutput = stock.output(false, new INDArray[]{input}, inputMasks, labelMasks)[0];
        INDArray fastOutput = fast.output(false, new INDArray[]{input}, inputMasks, labelMasks)[0];
        assertClose(stockOutput, fastOutput, precision.tolerance, "inference output");
        INDArray labels = labels(stockOutput, (int) stockOutput.size(1));
        Map<String, INDArray> stockGradients = gradients(stock, input, labels, inputMasks, labelMasks);
        Map<String, INDArray> fastGradients = gradients(fast, input, labels, inputMasks, labelMasks);
        assertEquals(stock.score(), fast.score(), precision.tolerance * Math.abs(stock.score()), "training loss");
        assertEquals(stockGradients.keySet(), fastGradients.keySet());
        stockGradients.forEach((name, g) ->
                assertClose(g, fastGradients.get(name), precision.tolerance, "gradient of " + name));
    }

    @Test
    void aModelSavedWithOneImplementationLoadsIntoTheOther(@TempDir Path dir) throws Exception {
        ModelEntry entry = ModelRegistry.get("resnet20");
        ModelOptions options = entry.defaultOptions().withInput(InputShape.image(3, 16, 16));
        ComputationGraph fast = entry.build(options);
        Nd4j.getRandom().setSeed(5);
        INDArray input = Nd4j.rand(DataType.FLOAT, options.input().batchShape(BATCH));
        fast.fit(new INDArray[]{input}, new INDArray[]{labels(fast.outputSingle(input), 10)});

        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(fast, file, true);
        ComputationGraph stock = LayerImpl.STOCK.apply(ModelSerializer.restoreComputationGraph(file, true));
        assertEquals(fast.params(), stock.params());
        assertClose(fast.outputSingle(input), stock.outputSingle(input), FLOAT_TOLERANCE, "output after reloading as stock");
        ComputationGraph fastAgain = LayerImpl.FAST.apply(ModelSerializer.restoreComputationGraph(file, true));
        assertEquals(fast.outputSingle(input), fastAgain.outputSingle(input), "output after reloading as fast");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "bilstm-max", "resnet20"})
    void sameSeedTrainsToIdenticalParameters(String model) {
        ModelEntry entry = ModelRegistry.get(model);
        INDArray first = trainTwoSteps(entry);
        INDArray second = trainTwoSteps(entry);
        assertEquals(first, second);
    }

    /**
     * The fast updater takes DL4J's standard path where DL4J itself takes the one for external gradients; both must
     * leave every parameter and every bit of the updater's state the same (resnet20: Adam on blocks split by batch
     * norm statistics, which have no updater), including after switching implementations mid-training.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "resnet20"})
    void theFastUpdaterChangesNoBit(String model) {
        ModelEntry entry = ModelRegistry.get(model);
        ComputationGraph own = entry.build(entry.defaultOptions());
        ComputationGraph dl4j = entry.build(entry.defaultOptions());
        dl4j.setUpdater(new ComputationGraphUpdater(dl4j, dl4j.getUpdater().getStateViewArray()));
        assertTrue(own.getUpdater() instanceof OwnGradientUpdater);
        Nd4j.getRandom().setSeed(9);
        INDArray input = Nd4j.rand(DataType.FLOAT, entry.defaultInput().batchShape(4));
        INDArray labels = labels(own.outputSingle(input), 10);
        for (int step = 0; step < 4; step++) {
            if (step == 3) {
                LayerImpl.STOCK.apply(own);
                LayerImpl.STOCK.apply(dl4j);
                assertFalse(own.getUpdater() instanceof OwnGradientUpdater);
            }
            for (ComputationGraph net : new ComputationGraph[]{own, dl4j}) {
                net.fit(new INDArray[]{input}, new INDArray[]{labels});
            }
            assertEquals(dl4j.params(), own.params(), "parameters after step " + (step + 1));
            assertEquals(dl4j.getUpdater().getStateViewArray(), own.getUpdater().getStateViewArray(),
                    "updater state after step " + (step + 1));
        }
    }

    /**
     * The fast ReLU layers, adding, scaling and merge vertices and single-position pooling compute exactly what
     * DL4J's compute, only without DL4J's copies and strided walks: a graph with them trains bit for bit as one whose
     * ReLUs, sums, scalings, merges and pooling are DL4J's own (everything else fast in both).
     */
    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "densenet-bc-100"})
    void fastReluLayersSumsAndMergesChangeNoBit(String model) {
        ModelEntry entry = ModelRegistry.get(model);
        ModelOptions options = entry.defaultOptions().withInput(InputShape.parse("3x16x16"));
        ComputationGraph fast = entry.build(options);
        ComputationGraph dl4j = entry.build(options);
        FastReluLayer.swapReluLayers(dl4j, false, ChannelsLastPlan.NONE, ReluFolding.NONE, InferenceFolding.NONE);
        FastAddVertex.swapAddVertices(dl4j, false, ChannelsLastPlan.NONE, ReluFolding.NONE, InferenceFolding.NONE);
        FastMergeVertex.swapMergeVertices(dl4j, false, ChannelsLastPlan.NONE);
        FastScaleVertex.swapScaleVertices(dl4j, false, ChannelsLastPlan.NONE);
        FastSubsamplingLayer.swapSubsamplingLayers(dl4j, false, ChannelsLastPlan.NONE);
        assertTrue(LayerImpl.FAST.runs(fast));
        assertFalse(LayerImpl.FAST.runs(dl4j));
        assertTrue(Arrays.stream(fast.getLayers()).anyMatch(layer -> layer instanceof FastReluLayer));
        assertEquals(model.startsWith("resnet"),
                Arrays.stream(fast.getVertices()).anyMatch(vertex -> vertex instanceof FastAddVertex));
        assertTrue(Arrays.stream(fast.getVertices()).anyMatch(vertex -> vertex instanceof FastMergeVertex),
                "concatenations (dense blocks; option-A shortcuts' zero channels)");
        assertEquals(model.startsWith("resnet"),
                Arrays.stream(fast.getVertices()).anyMatch(vertex -> vertex instanceof FastScaleVertex)
                        && Arrays.stream(fast.getLayers()).anyMatch(layer -> layer instanceof FastSubsamplingLayer),
                "option-A shortcuts' subsampling and zero channels");
        Nd4j.getRandom().setSeed(9);
        INDArray input = Nd4j.rand(DataType.FLOAT, options.input().batchShape(4));
        INDArray labels = labels(fast.outputSingle(input), 10);
        assertEquals(dl4j.outputSingle(input), fast.outputSingle(input), "inference output");
        for (int step = 0; step < 3; step++) {
            for (ComputationGraph net : new ComputationGraph[]{fast, dl4j}) {
                net.fit(new INDArray[]{input}, new INDArray[]{labels});
            }
            assertEquals(dl4j.params(), fast.params(), "parameters after step " + (step + 1));
        }
    }

    private static INDArray trainTwoSteps(ModelEntry entry) {
        ComputationGraph net = entry.build(entry.defaultOptions());
        Nd4j.getRandom().setSeed(9);
        INDArray input = Nd4j.rand(DataType.FLOAT, entry.defaultInput().batchShape(16));
        INDArray labels = labels(net.outputSingle(input), 10);
        for (int step = 0; step < 2; step++) {
            net.fit(new INDArray[]{input}, new INDArray[]{labels});
        }
        return net.params();
    }
}
