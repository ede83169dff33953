package org.zoobench.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.LocalResponseNormalization;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One model's graph run by both implementations on the same input: the stock pass first, then the same graph
 * switched to {@link LayerImpl#FAST} (the parameters are the very same arrays, and one graph costs half the memory
 * and initialisation of two). Compares the inference output, the training loss and every parameter gradient, and
 * checks that the fast pass really ran the fast code: every convolution, batch norm and LSTM helper computed its
 * forward and backward passes (a helper that returned nothing would have let DL4J's Java code run), the dense layers
 * keep their pre-output, and a fallback fails the test ({@link NoFallbacks}).
 */
public final class StockVsFast {

    /** A gradient array below this share of the largest one's norm is zero up to rounding. */
    private static final double ZERO_GRADIENT = 1e-6;
    /** How far the input is moved (relative, in units of the type's epsilon) to see how far stock moves itself. */
    private static final int NUDGE_ULPS = 64;
    private static final double SENSITIVITY_MARGIN = 10;

    private StockVsFast() {
    }

    /**
     * {@code entry} at {@code options} (any implementation), on {@code batch} random examples; on a second random
     * input where the first fails. A ReLU whose input lies within rounding of zero can take the other branch when
     * the kernels round differently, and one such flip moves the gradient of every layer below it by percent
     * (plain20 at 1x32x32: one activation at 8e-6 where the two forward passes differ by 1.4e-5 after fourteen
     * layers, 2% of every gradient below it). A wrong kernel fails on every input; such a flip is too rare to recur
     * on a second one.
     */
    public static void compare(ModelEntry entry, ModelOptions options, int batch, double tolerance) {
        try {
            compareOn(entry, options, batch, tolerance, 3);
        } catch (AssertionError first) {
            try {
                compareOn(entry, options, batch, tolerance, 4);
            } catch (AssertionError second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    private static void compareOn(ModelEntry entry, ModelOptions options, int batch, double tolerance,
                                  long inputSeed) {
        ComputationGraph graph = entry.build(options.withImpl(LayerImpl.STOCK));
        Nd4j.getRandom().setSeed(inputSeed);
        INDArray input = Nd4j.rand(options.dataType(), options.input().batchShape(batch)).subi(0.5);
        Pass stock = Pass.of(graph, input, options.numClasses());

        LayerImpl.FAST.apply(graph);
        assertTrue(LayerImpl.FAST.runs(graph), "fast helpers and dense layers in place");
        List<CountingHelper> helpers = CountingHelper.installIn(graph);
        Pass fast = Pass.of(graph, input, options.numClasses());

        List<Check> checks = Check.all(stock, fast);
        Map<String, Double> floors = new LinkedHashMap<>();
        if (!checks.stream().allMatch(c -> c.within(tolerance, 0))) {
            // An ill-conditioned net (a deep plain one): DL4J's own result moves as much when its input moves in the
            // last digits. Fast may then differ by what stock differs by from itself, times a margin.
            LayerImpl.STOCK.apply(graph);
            double nudge = NUDGE_ULPS * (options.dataType() == DataType.DOUBLE ? Math.ulp(1.0) : Math.ulp(1.0f));
            Check.all(stock, Pass.of(graph, input.mul(1 + nudge), options.numClasses()))
                    .forEach(own -> floors.put(own.what(), SENSITIVITY_MARGIN * own.error()));
        }
        for (Check check : checks) {
            double floor = floors.getOrDefault(check.what(), 0.0);
            assertTrue(check.within(tolerance, floor), String.format(Locale.ROOT,
                    "%s: relative L2 difference %.3g (allowed %.3g)%s", check.what(), check.error() / check.scale(),
                    tolerance, floor > 0 ? String.format(Locale.ROOT, ", absolute %.3g where DL4J moves by %.3g "
                            + "itself for a nudged input", check.error(), floor / SENSITIVITY_MARGIN) : ""));
        }
        for (CountingHelper helper : helpers) {
            helper.assertRan(stock.gradients() != null);
        }
        // ND4J's workspaces stay at the largest size a thread has used, and a dropped graph's arrays go only when
        // the collector finds them: without this, models one after the other hold memory up to JavaCPP's cap
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        System.gc();
    }

    /** One array compared, its norm taken as at least {@code zero}. */
    private record Check(String what, INDArray expected, INDArray actual, double zero) {

        /** Output, loss and every parameter gradient; a gradient below a millionth of the largest is zero. */
        static List<Check> all(Pass expected, Pass actual) {
            List<Check> checks = new ArrayList<>();
            checks.add(new Check("inference output", expected.output(), actual.output(), 0));
            if (expected.gradients() != null) {
                assertEquals(expected.gradients().keySet(), actual.gradients().keySet());
                checks.add(new Check("training loss", Nd4j.scalar(expected.score()), Nd4j.scalar(actual.score()), 0));
                // a bias before a batch norm has no effect on the loss: its gradient is rounding noise in both
                double zero = ZERO_GRADIENT * expected.gradients().values().stream()
                        .mapToDouble(g -> g.norm2Number().doubleValue()).max().orElse(0);
                expected.gradients().forEach((name, g) ->
                        checks.add(new Check("gradient of " + name, g, actual.gradients().get(name), zero)));
            }
            return checks;
        }

        double scale() {
            return Math.max(zero, expected.norm2Number().doubleValue());
        }

        double error() {
            assertArrayEquals(expected.shape(), actual.shape(), what);
            return expected.sub(actual).norm2Number().doubleValue();
        }

        boolean within(double tolerance, double floor) {
            return error() <= Math.max(tolerance * scale() + 1e-12, floor);
        }
    }

    /** The output, and where the graph ends in a loss, the loss and parameter gradients (copies) for one batch. */
    private record Pass(INDArray output, double score, Map<String, INDArray> gradients) {

        static Pass of(ComputationGraph graph, INDArray input, int classes) {
            INDArray output = graph.outputSingle(input).dup();
            if (!(graph.getOutputLayer(0) instanceof IOutputLayer)) {
                return new Pass(output, Double.NaN, null); // a DL4J zoo feature extractor: no loss
            }
            Map<String, INDArray> gradients = new LinkedHashMap<>();
            StockVsFast.gradients(graph, input, labels(output, classes)).forEach((name, g) -> gradients.put(name, g.dup()));
            return new Pass(output, graph.score(), gradients);
        }
    }

    /** Parameter gradients for one batch, with the same dropout masks whichever implementation runs. */
    static Map<String, INDArray> gradients(ComputationGraph net, INDArray input, INDArray labels) {
        return gradients(net, input, labels, null, null);
    }

    /** With masks for the graph's input and output, or none where they are null. */
    static Map<String, INDArray> gradients(ComputationGraph net, INDArray input, INDArray labels,
                                           INDArray[] inputMasks, INDArray[] labelMasks) {
        Nd4j.getRandom().setSeed(11);
        net.setInputs(input);
        net.setLabels(labels);
        if (inputMasks != null) {
            net.setLayerMaskArrays(inputMasks, labelMasks);
        }
        net.computeGradientAndScore();
        net.clearLayerMaskArrays();
        return net.gradient().gradientForVariable();
    }

    /** One-hot labels shaped like {@code output}: per example, or per example and step for sequence outputs. */
    static INDArray labels(INDArray output, int classes) {
        long[] outputShape = output.shape();
        INDArray labels = Nd4j.zeros(output.dataType(), outputShape);
        for (int i = 0; i < outputShape[0]; i++) {
            if (outputShape.length == 2) {
                labels.putScalar(i, i % classes, 1.0);
            } else {
                for (int t = 0; t < outputShape[2]; t++) {
                    labels.putScalar(new long[]{i, (i + t) % classes, t}, 1.0);
                }
            }
        }
        return labels;
    }

    /** Relative L2 difference within {@code tolerance}. */
    static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double scale = expected.norm2Number().doubleValue();
        double error = expected.sub(actual).norm2Number().doubleValue();
        assertTrue(error <= tolerance * scale + 1e-12,
                what + ": relative L2 difference " + (error / Math.max(scale, 1e-30)));
    }

    /**
     * A fast helper with its calls counted, in the layer's helper slot in its place. DL4J calls a helper's
     * {@code preOutput} (convolution, batch norm) or {@code activate} (LSTM) forward and {@code backpropGradient}
     * backward, and runs its own Java code whenever one returns nothing.
     */
    private static final class CountingHelper implements InvocationHandler {

        private final String layer;
        private final Object helper;
        private int forward;
        private int backward;
        private int backwardByDesign;
        private final List<String> returnedNothing = new ArrayList<>();

        private CountingHelper(String layer, Object helper) {
            this.layer = layer;
            this.helper = helper;
        }

        static List<CountingHelper> installIn(ComputationGraph graph) {
            List<CountingHelper> helpers = new ArrayList<>();
            LayerImpl.layersAndWrapped(graph).filter(layer -> LayerImpl.isFastHelper(layer.getHelper()))
                    .forEach(layer -> {
                        Class<?> owner = layer instanceof ConvolutionLayer ? ConvolutionLayer.class
                                : layer instanceof BatchNormalization ? BatchNormalization.class
                                : layer instanceof LocalResponseNormalization ? LocalResponseNormalization.class
                                : LSTM.class;
                        CountingHelper counting = new CountingHelper(layer.conf().getLayer().getLayerName(),
                                layer.getHelper());
                        LayerImpl.setHelper(owner, layer, Proxy.newProxyInstance(StockVsFast.class.getClassLoader(),
                                layer.getHelper().getClass().getInterfaces(), counting));
                        helpers.add(counting);
                    });
            return helpers;
        }

        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
            Object result;
            try {
                result = method.invoke(helper, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            switch (method.getName()) {
                case "preOutput", "activate" -> {
                    if (args.length > 3) { // not the convolution's activation-only activate(z, fn, training)
                        count(result, "forward");
                        forward++;
                    }
                }
                case "backpropGradient" -> {
                    if (result == null && kernelLargerThanInput(args)) {
                        backwardByDesign++;
                    } else {
                        count(result, "backward");
                        backward++;
                    }
                }
                default -> {
                }
            }
            return result;
        }

        private void count(Object result, String pass) {
            if (result == null) {
                returnedNothing.add(pass);
            }
        }

        /** The convolution's backward pass DL4J computes by design (see {@code NativeConvolutionHelper}). */
        private boolean kernelLargerThanInput(Object[] args) {
            if (!(args[0] instanceof INDArray input) || !(args[4] instanceof int[] kernel)) {
                return false;
            }
            return input.size(2) < kernel[0] || input.size(3) < kernel[1];
        }

        void assertRan(boolean backpropagated) {
            assertEquals(List.of(), returnedNothing, "layer " + layer + ": passes the fast helper left to DL4J");
            assertTrue(forward > 0, "layer " + layer + ": the fast forward pass never ran");
            if (backpropagated) {
                assertTrue(backward + backwardByDesign > 0, "layer " + layer + ": the fast backward pass never ran");
                if (helper instanceof ConvolutionHelper) {
                    assertEquals(2, forward, "layer " + layer + ": convolutions run for one inference and one"
                            + " training pass (the backward pass must reuse the kept pre-activation)");
                }
            }
        }
    }
}
