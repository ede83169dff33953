package org.zoobench.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;

/** Batch norms and ReLUs folded into the convolution before them in inference: where, and with what values. */
class InferenceFoldingTest {

    private static ComputationGraph built(String model, String input) {
        ModelEntry entry = ModelRegistry.get(model);
        return entry.build(entry.defaultOptions().withInput(InputShape.parse(input)));
    }

    /** Running statistics and scales far from their initial values, so that a wrong fold shows. */
    private static void randomiseBatchNorms(ComputationGraph graph) {
        Nd4j.getRandom().setSeed(7);
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof BatchNormalization bn) {
                Map<String, INDArray> params = bn.paramTable();
                params.get(BatchNormalizationParamInitializer.GAMMA).assign(Nd4j.rand(DataType.FLOAT,
                        params.get(BatchNormalizationParamInitializer.GAMMA).shape()).addi(0.5));
                params.get(BatchNormalizationParamInitializer.BETA).assign(Nd4j.randn(DataType.FLOAT,
                        params.get(BatchNormalizationParamInitializer.BETA).shape()).muli(0.2));
                params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).assign(Nd4j.randn(DataType.FLOAT,
                        params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).shape()).muli(0.2));
                String spread = params.containsKey(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                        ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                        : BatchNormalizationParamInitializer.GLOBAL_VAR;
                INDArray values = Nd4j.rand(DataType.FLOAT, params.get(spread).shape());
                params.get(spread).assign(spread.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                        ? values.addi(0.5) : values.subi(0.5).muli(0.4));
            }
        }
    }

    private static String outputName(ComputationGraph graph) {
        return graph.getConfiguration().getNetworkOutputs().get(0);
    }

    private static List<NativeConvolutionHelper> convolutionHelpers(ComputationGraph graph) {
        return Arrays.stream(graph.getLayers()).filter(l -> l instanceof ConvolutionLayer)
                .map(l -> (NativeConvolutionHelper) ((ConvolutionLayer) l).getHelper()).toList();
    }

    private static List<NativeBatchNormHelper> batchNormHelpers(ComputationGraph graph) {
        return Arrays.stream(graph.getLayers()).filter(l -> l instanceof BatchNormalization)
                .map(l -> (NativeBatchNormHelper) ((BatchNormalization) l).getHelper()).toList();
    }

    /** Folded and unfolded inference agree, and the fold buffers shrink and grow with the batch. */
    @ParameterizedTest
    @ValueSource(strings = {"resnet20:1x32x32", "plain20:1x32x32", "resnet18:3x32x32", "googlenet-bn:3x32x32",
            "densenet-bc-100:3x16x16"})
    void foldedInferenceGivesTheUnfoldedValues(String spec) {
        String[] parts = spec.split(":");
        ComputationGraph graph = built(parts[0], parts[1]);
        randomiseBatchNorms(graph);
        InferenceFolding folding = InferenceFolding.of(graph, ChannelsLastPlan.of(graph));
        assertTrue(Arrays.stream(graph.getVertices()).anyMatch(v -> folding.ofConvolution(v.getVertexName()) != null),
                "nothing folds in " + parts[0]);
        for (int batch : new int[]{40, 12, 40}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, InputShape.parse(parts[1]).batchShape(batch));
            INDArray folded = graph.outputSingle(x);
            assertTrue(convolutionHelpers(graph).stream().anyMatch(NativeConvolutionHelper::foldedLastPass),
                    spec + " batch " + batch + " folded nothing");
            if (parts[0].startsWith("densenet")) {
                assertTrue(batchNormHelpers(graph).stream().anyMatch(NativeBatchNormHelper::rectifiedLastPass),
                        spec + " batch " + batch + ": no batch norm applied its ReLU");
            }
            INDArray unfolded = graph.feedForward(x, false).get(outputName(graph)); // feedForward never folds
            assertTrue(convolutionHelpers(graph).stream().noneMatch(NativeConvolutionHelper::foldedLastPass));
            assertEquals(unfolded.shape().length, folded.shape().length);
            assertArrayEquals(unfolded.reshape(unfolded.length()).toFloatVector(),
                    folded.reshape(folded.length()).toFloatVector(), 2e-5f, spec + " batch " + batch);
            assertTrue(folded.equalsWithEps(graph.outputSingle(x), 0), "a second pass gives the same values");
        }
    }

    @Test
    void aResidualNetFoldsEveryConvolutionAndTheReluAfterEachUnitsFirst() {
        ComputationGraph graph = built("resnet20", "1x32x32");
        InferenceFolding folding = InferenceFolding.of(graph, ChannelsLastPlan.of(graph));
        List<GraphVertex> convolutions = Arrays.stream(graph.getVertices())
                .filter(v -> v instanceof LayerVertex layer && layer.getLayer() instanceof ConvolutionLayer).toList();
        assertEquals(19, convolutions.size());
        long rectifying = 0;
        for (GraphVertex conv : convolutions) {
            InferenceFolding.Fold fold = folding.ofConvolution(conv.getVertexName());
            assertNotNull(fold, conv.getVertexName());
            rectifying += fold.relu() != null ? 1 : 0;
        }
        assertEquals(1 + 9, rectifying, "the stem's and each unit's first; the second's batch norm feeds the sum");
        long sums = Arrays.stream(graph.getVertices()).filter(v -> folding.ofRectifier(v.getVertexName()) != null)
                .count();
        assertEquals(9 - 1, sums, "each unit's sum with its ReLU, but the last's, whose ReLU feeds the pooling in C order");
        assertEquals(3, folding.slots(), "the stem's output lives through the first unit beside its two folds;"
                + " each later unit's two folds reuse those buffers");
        for (int batch : new int[]{40, 2}) {
            graph.outputSingle(Nd4j.rand(DataType.FLOAT, batch, 1, 32, 32));
            assertTrue(convolutionHelpers(graph).stream().allMatch(NativeConvolutionHelper::foldedLastPass),
                    "at a batch of " + batch + " every convolution folds");
        }
    }

    /**
     * Inference passes keep what they derive from the parameters (folded weights, weights in the kernels' layout)
     * while the parameters stay the same; once any changes, the next pass computes with the new values: the same
     * output as a graph that never ran before, folded ({@code output}) and not ({@code feedForward}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"resnet20:1x16x16", "alexnet-mini:1x28x28"})
    void aPassAfterTheParametersChangeComputesWithTheNewValues(String spec) {
        String[] parts = spec.split(":");
        ComputationGraph graph = built(parts[0], parts[1]);
        INDArray x = Nd4j.rand(DataType.FLOAT, InputShape.parse(parts[1]).batchShape(4));
        INDArray before = graph.outputSingle(x).dup();
        graph.feedForward(x, false);
        randomiseBatchNorms(graph);
        Nd4j.getRandom().setSeed(11);
        graph.params().addi(Nd4j.rand(DataType.FLOAT, graph.params().shape()).muli(0.01));

        ComputationGraph fresh = built(parts[0], parts[1]);
        fresh.setParams(graph.params().dup());
        INDArray after = graph.outputSingle(x);
        assertFalse(before.equalsWithEps(after, 1e-4), "the change moves the output");
        assertTrue(fresh.outputSingle(x).equalsWithEps(after, 0), spec + ": output");
        assertTrue(fresh.feedForward(x, false).get(outputName(fresh))
                .equalsWithEps(graph.feedForward(x, false).get(outputName(graph)), 0), spec + ": feedForward");
    }

    @Test
    void aDenseNetFoldsItsStemAndBottlenecksAndTheReluOfEachBatchNormBeforeAConvolution() {
        ComputationGraph graph = built("densenet121", "1x32x32");
        InferenceFolding folding = InferenceFolding.of(graph, ChannelsLastPlan.of(graph));
        int rectifyingNorms = 0;
        for (GraphVertex vertex : graph.getVertices()) {
            String name = vertex.getVertexName();
            InferenceFolding.Fold fold = folding.ofConvolution(name);
            if (name.endsWith("_conv1") || name.equals("conv0")) {
                assertNotNull(fold, name);
                assertNotNull(fold.relu(), name);
            } else {
                assertNull(fold, name + ": pre-activation units read a concatenation");
            }
            InferenceFolding.Fold rectifier = folding.ofRectifier(name);
            if (name.endsWith("_conv1_bn") || name.endsWith("_conv_bn")) {
                assertNotNull(rectifier, name + ": a unit's or transition's first batch norm");
                assertEquals(name.substring(0, name.length() - "_bn".length()) + "_relu", rectifier.relu());
                rectifyingNorms++;
            } else {
                assertNull(rectifier, name + (name.equals("norm5") ? ": its ReLU hands on in C order, to the pooling"
                        : ""));
            }
        }
        assertEquals(6 + 12 + 24 + 16 + 3, rectifyingNorms, "every unit's first batch norm and every transition's");
    }

    @Test
    void aSumAskedForByNameHandsOnItsOwnValues() {
        ComputationGraph graph = built("resnet20", "1x16x16");
        randomiseBatchNorms(graph);
        InferenceFolding folding = InferenceFolding.of(graph, ChannelsLastPlan.of(graph));
        InferenceFolding.Fold fold = Arrays.stream(graph.getVertices())
                .map(v -> folding.ofRectifier(v.getVertexName())).filter(f -> f != null).findFirst().orElseThrow();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16);
        Map<String, INDArray> all = graph.feedForward(x, false);
        INDArray[] named = graph.output(List.of(fold.producer(), fold.relu()), false, new INDArray[]{x}, null);
        assertTrue(all.get(fold.producer()).equalsWithEps(named[0], 0), "the sum's values, not rectified");
        assertTrue(all.get(fold.relu()).equalsWithEps(named[1], 0));
        assertTrue(all.get(fold.producer()).minNumber().floatValue() < 0);
    }

    @Test
    void aBatchNormAskedForByNameHandsOnItsOwnValues() {
        ComputationGraph graph = built("resnet20", "1x16x16");
        randomiseBatchNorms(graph);
        InferenceFolding folding = InferenceFolding.of(graph, ChannelsLastPlan.of(graph));
        InferenceFolding.Fold fold = Arrays.stream(graph.getVertices())
                .map(v -> folding.ofConvolution(v.getVertexName()))
                .filter(f -> f != null && f.relu() != null).findFirst().orElseThrow();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16);
        Map<String, INDArray> all = graph.feedForward(x, false);
        NativeConvolutionHelper producer = (NativeConvolutionHelper) ((ConvolutionLayer) graph.getLayer(
                fold.producer())).getHelper();
        graph.outputSingle(x);
        assertTrue(producer.foldedLastPass(), "a pass for the output folds");
        INDArray[] named = graph.output(List.of(fold.normName(), fold.relu()), false, new INDArray[]{x}, null);
        assertTrue(all.get(fold.normName()).equalsWithEps(named[0], 0), "the batch norm's values, not rectified");
        assertTrue(all.get(fold.relu()).equalsWithEps(named[1], 0));
        assertTrue(all.get(fold.normName()).minNumber().floatValue() < 0);
        assertFalse(producer.foldedLastPass(), "a pass asked for vertices by name folds nothing");
        graph.outputSingle(x);
        assertTrue(producer.foldedLastPass(), "each pass decides afresh");
    }
}
