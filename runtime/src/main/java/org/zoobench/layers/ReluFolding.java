package org.zoobench.layers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLUs folded into the batch norm or residual sum before them in the training step: where a batch norm's only
 * reader is a plain ReLU (every pre-activation unit of the CIFAR nets), oneDNN's training pass applies the ReLU as it
 * writes the normalised values; where a sum's is (every residual unit's output), the sum is written rectified
 * ({@link OneDnnSum}); and the ReLU layer hands those rectified values on as they are: one pass over the activations
 * fewer per pair (docs/fast-layers.md). The values are the same, {@code max(0, y)} either way, and the ReLU's
 * backward pass is unchanged: its mask {@code x > 0} is the same on the rectified values as on the normalised ones.
 *
 * <p>Only in DL4J's training step, where every activation lives in one workspace until the backward pass: in an
 * inference pass each layer's output is in its own workspace, closed once its readers ran, so a layer cannot hand on
 * its input there ({@link InferenceFolding} folds a sum's ReLU there its own way); and other training-mode passes
 * ({@code feedForward(true)}) return every layer's activation, which must stay the batch norm's or the sum's own. A
 * batch norm that fell back, or a reshaped output, is not handed on: the ReLU then computes as usual (on rectified
 * values it changes nothing).
 */
final class ReluFolding {

    /** DL4J's workspace for the activations of a training step ({@code ComputationGraph.WS_ALL_LAYERS_ACT}). */
    private static final String TRAINING_STEP_WORKSPACE = "WS_ALL_LAYERS_ACT";

    static final ReluFolding NONE = new ReluFolding(Map.of());

    /**
     * oneDNN's channels-last batch norm with the ReLU fused rounds the last channels differently (by an ulp or two)
     * where the channel count is not a multiple of its 8-float vectors: such a layer keeps its ReLU, so that folding
     * changes no bit anywhere (ReluFoldingTest).
     */
    static final long HELD_FOLDING_CHANNELS = 8;

    /** Per ReLU whose input is folded, the batch norm or sum it reads. */
    private final Map<String, String> producerOfRelu;
    private final Set<String> producers;
    /** Per folding batch norm or sum, the rectified output of its last training pass. */
    private final Map<String, INDArray> rectified = new HashMap<>();

    private ReluFolding(Map<String, String> producerOfRelu) {
        this.producerOfRelu = producerOfRelu;
        this.producers = new HashSet<>(producerOfRelu.values());
    }

    /**
     * The foldings of {@code graph}: every batch norm, and every sum of two inputs, read only by a plain ReLU that
     * hands its output on in its input's layout (a ReLU converting a held input to C order does that pass anyway),
     * held batch norms with a multiple of {@link #HELD_FOLDING_CHANNELS} channels.
     */
    static ReluFolding of(ComputationGraph graph, ChannelsLastPlan plan) {
        Map<String, String> producerOfRelu = new HashMap<>();
        GraphVertex[] vertices = graph.getVertices();
        for (GraphVertex vertex : vertices) {
            GraphVertex relu = onlyReaderRelu(vertices, vertex, plan);
            if (relu == null) {
                continue;
            }
            if (vertex instanceof LayerVertex norm && norm.getLayer() instanceof BatchNormalization) {
                long channels = ((org.deeplearning4j.nn.conf.layers.BatchNormalization) norm.getLayer().conf()
                        .getLayer()).getNOut();
                if (!plan.inputHeld(norm.getVertexName(), 0) || channels % HELD_FOLDING_CHANNELS == 0) {
                    producerOfRelu.put(relu.getVertexName(), norm.getVertexName());
                }
            } else if (foldableSum(vertex)) {
                producerOfRelu.put(relu.getVertexName(), vertex.getVertexName());
            }
        }
        return new ReluFolding(producerOfRelu);
    }

    /**
     * {@code vertex}'s only reader where that is a plain ReLU handing its output on in the layout {@code vertex}
     * hands it, else null.
     */
    static GraphVertex onlyReaderRelu(GraphVertex[] vertices, GraphVertex vertex, ChannelsLastPlan plan) {
        if (vertex.getOutputVertices() == null || vertex.getOutputVertices().length != 1 || vertex.isOutputVertex()) {
            return null;
        }
        GraphVertex reader = vertices[vertex.getOutputVertices()[0].getVertexIndex()];
        return reader instanceof LayerVertex relu && FastReluLayer.swappable(relu.getLayer())
                && plan.holdsOutput(vertex.getVertexName()) == plan.holdsOutput(relu.getVertexName()) ? relu : null;
    }

    /** An adding vertex of two inputs ({@link OneDnnSum} adds two). */
    static boolean foldableSum(GraphVertex vertex) {
        return FastAddVertex.swappable(vertex) && vertex.getInputVertices() != null
                && vertex.getInputVertices().length == 2;
    }

    /** Whether batch norm or sum {@code producer}'s only reader is a ReLU folded into it. */
    boolean folds(String producer) {
        return producers.contains(producer);
    }

    /** Whether a folding batch norm applies the ReLU in this pass: a training step (its workspaces say so). */
    static boolean inTrainingStep(LayerWorkspaceMgr workspaces) {
        return TRAINING_STEP_WORKSPACE.equals(workspaces.getWorkspaceName(ArrayType.ACTIVATIONS));
    }

    /** Folding batch norm or sum {@code producer}'s output of this pass: rectified, or null where it is not. */
    void wrote(String producer, INDArray output) {
        if (output == null) {
            rectified.remove(producer);
        } else {
            rectified.put(producer, output);
        }
    }

    /** Whether {@code input} of ReLU {@code relu} is the rectified output its batch norm or sum just wrote. */
    boolean alreadyRectified(String relu, INDArray input) {
        String producer = producerOfRelu.get(relu);
        return producer != null && rectified.get(producer) == input;
    }
}
