package org.zoobench.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zoobench.layers.StockVsFast.labels;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;

/** ReLUs folded into the batch norm or sum before them: where, with what values, and only in the training step. */
class ReluFoldingTest {

    private static final ModelOptions SMALL = ModelRegistry.get("resnet20").defaultOptions()
            .withInput(InputShape.parse("3x16x16"));

    private static ComputationGraph built(String model) {
        ModelEntry entry = ModelRegistry.get(model);
        return entry.build(entry.defaultOptions().withInput(InputShape.parse("3x16x16")));
    }

    /** Each batch norm whose only reader is a ReLU, with that ReLU's name. */
    private static Map<String, String> reluAfterNorm(ComputationGraph graph) {
        return reluAfter(graph, v -> v instanceof LayerVertex norm && norm.getLayer() instanceof BatchNormalization);
    }

    /** Each sum (a residual unit's) whose only reader is a ReLU, with that ReLU's name. */
    private static Map<String, String> reluAfterSum(ComputationGraph graph) {
        return reluAfter(graph, FastAddVertex::swappable);
    }

    private static Map<String, String> reluAfter(ComputationGraph graph,
                                                 java.util.function.Predicate<GraphVertex> producer) {
        Map<String, String> pairs = new HashMap<>();
        for (GraphVertex v : graph.getVertices()) {
            if (producer.test(v) && v.getOutputVertices().length == 1) {
                GraphVertex reader = graph.getVertices()[v.getOutputVertices()[0].getVertexIndex()];
                if (reader instanceof LayerVertex relu && FastReluLayer.swappable(relu.getLayer())) {
                    pairs.put(v.getVertexName(), relu.getVertexName());
                }
            }
        }
        return pairs;
    }

    /** Both kinds of pair: batch norm or sum, with its ReLU. */
    private static Map<String, String> reluAfterNormOrSum(ComputationGraph graph) {
        Map<String, String> pairs = reluAfterNorm(graph);
        pairs.putAll(reluAfterSum(graph));
        return pairs;
    }

    private static ReluFolding folding(ComputationGraph graph) {
        return ReluFolding.of(graph, ChannelsLastPlan.of(graph));
    }

    private static long batchNorms(ComputationGraph graph) {
        return Arrays.stream(graph.getLayers()).filter(l -> l instanceof BatchNormalization).count();
    }

    @Test
    void everyBatchNormReadOnlyByAReluFoldsIt() {
        ComputationGraph resnet = built("resnet20");
        ReluFolding folding = ReluFolding.of(resnet, ChannelsLastPlan.of(resnet));
        Map<String, String> pairs = reluAfterNorm(resnet);
        // The stem and each unit's first batch norm; a unit's second one feeds its sum.
        assertEquals(10, pairs.size());
        assertEquals(19, batchNorms(resnet));
        for (org.deeplearning4j.nn.api.Layer bn : Arrays.stream(resnet.getLayers()).filter(l -> l instanceof BatchNormalization).toList()) {
            String name = bn.conf().getLayer().getLayerName();
            assertEquals(pairs.containsKey(name), folding.folds(name), name);
        }
        ComputationGraph plain = built("plain20");
        Map<String, String> plainPairs = reluAfterNorm(plain);
        assertEquals(19, plainPairs.size(), "every batch norm of a plain net");
        ChannelsLastPlan plainPlan = ChannelsLastPlan.of(plain);
        ReluFolding plainFolding = ReluFolding.of(plain, plainPlan);
        // The last ReLU hands the global pooling a C-ordered copy of its held input: that pass stays in the ReLU.
        List<String> unfolded = plainPairs.keySet().stream().filter(bn -> !plainFolding.folds(bn)).toList();
        assertEquals(1, unfolded.size(), unfolded.toString());
        String last = plainPairs.get(unfolded.get(0));
        assertTrue(plainPlan.inputHeld(last, 0) && !plainPlan.holdsOutput(last), last);
        assertFalse(ReluFolding.NONE.folds(pairs.keySet().iterator().next()));
    }

    @Test
    void everyResidualSumReadOnlyByAReluInItsLayoutFoldsIt() {
        ComputationGraph resnet = built("resnet20");
        ChannelsLastPlan plan = ChannelsLastPlan.of(resnet);
        ReluFolding folding = ReluFolding.of(resnet, plan);
        Map<String, String> sums = reluAfterSum(resnet);
        assertEquals(9, sums.size(), "every unit's sum feeds its ReLU");
        // The last unit's ReLU hands the global pooling a C-ordered copy of its held sum: that pass stays in the ReLU.
        // (The units before a widening one hand theirs on held too: the option-A shortcut reads channels-last.)
        List<String> unfolded = sums.keySet().stream().filter(sum -> !folding.folds(sum)).toList();
        assertEquals(1, unfolded.size(), unfolded.toString());
        String last = sums.get(unfolded.get(0));
        assertTrue(plan.holdsOutput(unfolded.get(0)) && !plan.holdsOutput(last), last);
        assertTrue(reluAfterSum(built("plain20")).isEmpty(), "a plain net has no sums");
    }

    /**
     * A training step with the ReLUs folded changes no bit against one without (the same oneDNN batch norm writes
     * the same values before the max; a sum is one IEEE addition either way), and the folded ReLUs hand on their
     * input: the step's activations of each pair are one array, with no negative value.
     */
    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "plain20", "densenet-bc-100"})
    void aFoldedStepChangesNoBitAndHandsTheRectifiedArrayOn(String model) {
        ComputationGraph folded = built(model);
        ComputationGraph unfolded = built(model);
        ChannelsLastPlan plan = ChannelsLastPlan.of(unfolded);
        for (org.deeplearning4j.nn.api.Layer layer : unfolded.getLayers()) {
            if (layer instanceof BatchNormalization bn) {
                LayerImpl.setHelper(BatchNormalization.class, bn,
                        new NativeBatchNormHelper(bn.conf().getLayer().getLayerName(), plan, ReluFolding.NONE,
                                InferenceFolding.NONE));
            }
        }
        FastAddVertex.swapAddVertices(unfolded, false, plan, ReluFolding.NONE, InferenceFolding.NONE);
        FastAddVertex.swapAddVertices(unfolded, true, plan, ReluFolding.NONE, InferenceFolding.NONE);
        Map<String, String> pairs = reluAfterNormOrSum(folded);
        assertFalse(pairs.isEmpty());
        // The step's activations live in its workspace: checked while it is open.
        List<String> handedOn = new java.util.ArrayList<>();
        folded.addListeners(new BaseTrainingListener() {
            @Override
            public void onForwardPass(Model m, Map<String, INDArray> activations) {
                pairs.forEach((producer, relu) -> {
                    if (folding(folded).folds(producer) && activations.get(producer) == activations.get(relu)
                            && activations.get(producer).minNumber().doubleValue() >= 0) {
                        handedOn.add(relu);
                    }
                });
            }
        });
        Nd4j.getRandom().setSeed(9);
        INDArray input = Nd4j.rand(DataType.FLOAT, SMALL.input().batchShape(4));
        INDArray labels = labels(folded.outputSingle(input), 10);
        for (int step = 0; step < 3; step++) {
            for (ComputationGraph net : new ComputationGraph[]{folded, unfolded}) {
                net.fit(new INDArray[]{input}, new INDArray[]{labels});
            }
            assertEquals(unfolded.params(), folded.params(), "parameters after step " + (step + 1));
            assertEquals(unfolded.getUpdater().getStateViewArray(), folded.getUpdater().getStateViewArray());
        }
        long foldedPairs = pairs.keySet().stream().filter(bn -> folding(folded).folds(bn)).count();
        assertTrue(foldedPairs > 0);
        assertEquals(model.startsWith("resnet"), reluAfterSum(folded).keySet().stream()
                .anyMatch(sum -> folding(folded).folds(sum) && handedOn.contains(pairs.get(sum))), "sums folded");
        assertEquals(3 * foldedPairs, handedOn.size(), "every folded ReLU in every step: " + handedOn);
        // feedForward: inference without the convolutions' own folding (InferenceFoldingTest), which the unfolded
        // graph's replaced batch-norm helpers do not take part in
        String output = folded.getConfiguration().getNetworkOutputs().get(0);
        assertEquals(unfolded.feedForward(input, false).get(output), folded.feedForward(input, false).get(output),
                "inference after training");
    }

    /**
     * Outside the training step (a training-mode feedForward, which returns every layer's activation; inference)
     * each batch norm's and sum's activation is its own, with negative values, and its ReLU's the rectified copy.
     */
    @Test
    void outsideTheTrainingStepABatchNormOrSumKeepsItsOwnValues() {
        ComputationGraph net = built("resnet20");
        Nd4j.getRandom().setSeed(9);
        INDArray input = Nd4j.rand(DataType.FLOAT, SMALL.input().batchShape(4));
        for (boolean training : new boolean[]{true, false}) {
            Map<String, INDArray> activations = net.feedForward(input, training);
            reluAfterNormOrSum(net).forEach((bn, relu) -> {
                INDArray normalised = activations.get(bn);
                assertNotNull(normalised, bn);
                assertTrue(normalised.minNumber().doubleValue() < 0, bn + " keeps its negative values");
                assertEquals(Transforms.relu(normalised, true), activations.get(relu), relu);
            });
        }
    }
}
