package org.zoobench.layers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch norms (and the ReLU after one) folded into the convolution before them in inference: where a convolution's
 * only reader is a batch norm (every convolution of the CIFAR ResNets and plain nets, ResNet-18, BN-GoogLeNet), an
 * inference pass runs one oneDNN convolution with the normalisation folded into its weights and bias,
 * {@code W' = W·γ/σ} and {@code b' = β + (b − μ)·γ/σ} per output channel for the running mean μ and
 * {@code σ = √(var + ε)}, and, where the batch norm's only reader is a plain ReLU, the ReLU applied as it writes
 * (docs/fast-layers.md). The batch norm and the ReLU then hand that output on as it is: two passes over the
 * activations fewer per convolution. The values are the batch norm's up to rounding (the folded weights round
 * differently). Likewise a residual sum whose only reader is a plain ReLU writes its sum rectified
 * ({@link OneDnnSum}), the same values, and a batch norm with no convolution to fold into whose only reader is a
 * plain ReLU (every pre-activation unit of a DenseNet, on its concatenation) writes its output rectified
 * ({@link OneDnnBatchNorm#inferenceRectified}, the values up to rounding), and the ReLU hands it on. Training passes
 * are untouched.
 *
 * <p>Only in DL4J's inference pass ({@code output}), where each vertex's output lives in its own workspace, closed
 * once the vertex's readers ran: the convolution's (or sum's) would close before the ReLU's readers read the folded
 * output. So a folded output lives in a detached buffer of this graph's own, one per slot; slots are assigned once
 * from the graph's order, as DL4J assigns its workspaces, so that a buffer is written again only after every reader
 * of the output it held ran (a few buffers a graph, not one per fold). Other passes ({@code feedForward}, which
 * returns every vertex's activation) and a vertex asked for as an output compute as usual.
 */
final class InferenceFolding {

    static final InferenceFolding NONE = new InferenceFolding(Map.of(), Map.of(), 0);

    /** DL4J's inference workspaces ({@code ComputationGraph.outputOfLayersDetached}: WS_LAYER_ACT_0, _1, ...). */
    private static final String INFERENCE_WORKSPACE_PREFIX = "WS_LAYER_ACT_";
    /** Finds {@code ComputationGraph.output(List<String>, ...)} on the stack (see {@link #folds}). */
    private static final StackWalker CALLERS = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * A convolution whose batch norm, and the ReLU after it where {@code relu} is not null, are folded into it, or a
     * sum or batch norm (no {@code norm}) whose ReLU is; its output is held channels-last where the last vertex
     * folded hands its output on so.
     */
    record Fold(String producer, BatchNormalization norm, String normName, String relu, boolean held, int slot) {
    }

    /** Per convolution, sum or batch norm that computes a folded output, its fold. */
    private final Map<String, Fold> byProducer;
    /** Per batch norm or ReLU that hands on a folded output, its fold. */
    private final Map<String, Fold> byFollower;
    private final INDArray[] buffers;
    /** Per slot, the views of its buffer made so far, by shape and layout. */
    private final Map<List<Long>, INDArray>[] views;
    /** Per fold (by convolution), the output its convolution wrote in this pass, or null where it did not fold. */
    private final Map<String, INDArray> written = new HashMap<>();
    /**
     * The workspace managers of the last inference passes and whether their pass was asked for vertices by name: the
     * stack is walked once per manager, not once a fold. DL4J makes a pass's managers afresh, one per activation
     * alive at once: 4 for resnet56, 5 for googlenet, 26 for densenet121, whose concatenations keep every output of
     * a dense block alive; the ring holds all of a pass's.
     */
    private final LayerWorkspaceMgr[] recentManagers = new LayerWorkspaceMgr[64];
    private final boolean[] recentAskedByName = new boolean[recentManagers.length];
    private int nextRecent;

    private InferenceFolding(Map<String, Fold> byProducer, Map<String, Fold> byFollower, int slots) {
        this.byProducer = byProducer;
        this.byFollower = byFollower;
        this.buffers = new INDArray[slots];
        @SuppressWarnings("unchecked")
        Map<List<Long>, INDArray>[] perSlot = new Map[slots];
        this.views = perSlot;
    }

    /**
     * The folds of {@code graph}: every plain convolution with the identity activation whose only reader is a batch
     * norm with its own γ and β (DL4J's batch norm applies no activation function), on NCHW maps, with the ReLU
     * after it where that is the batch norm's only reader; every sum of two inputs whose only reader is a ReLU
     * handing its output on in the sum's layout; and every other such batch norm that computes in the layout it
     * hands on in and whose only reader is such a ReLU. Each hands on in the layout the plan gives the last vertex
     * folded (the vertices before it only pass the output on).
     */
    static InferenceFolding of(ComputationGraph graph, ChannelsLastPlan plan) {
        GraphVertex[] vertices = graph.getVertices();
        int[] order = graph.topologicalSortOrder();
        int[] position = new int[vertices.length];
        for (int step = 0; step < order.length; step++) {
            position[order[step]] = step;
        }
        Map<String, Fold> byProducer = new HashMap<>();
        Map<String, Fold> byFollower = new HashMap<>();
        List<Integer> slotFreeAfter = new ArrayList<>(); // per slot, the step after which its output is dead
        for (int index : order) {
            GraphVertex vertex = vertices[index];
            GraphVertex norm = null;
            GraphVertex relu;
            GraphVertex reader = foldableConvolution(vertex) ? onlyReader(vertices, vertex) : null;
            if (foldableNorm(reader)) {
                norm = reader;
                relu = onlyReader(vertices, norm);
                relu = relu instanceof LayerVertex reluVertex && FastReluLayer.swappable(reluVertex.getLayer())
                        ? relu : null;
            } else if (ReluFolding.foldableSum(vertex) || foldableNorm(vertex)
                    && !byFollower.containsKey(vertex.getVertexName())
                    && plan.inputHeld(vertex.getVertexName(), 0) == plan.holdsOutput(vertex.getVertexName())) {
                relu = ReluFolding.onlyReaderRelu(vertices, vertex, plan);
                if (relu == null) {
                    continue;
                }
            } else {
                continue;
            }
            GraphVertex last = relu != null ? relu : norm;
            int deadAfter = lastReadAt(last, position, order.length);
            int slot = slotFreeAfter.size();
            for (int s = 0; s < slotFreeAfter.size(); s++) {
                if (slotFreeAfter.get(s) < position[index]) {
                    slot = s;
                    break;
                }
            }
            if (slot == slotFreeAfter.size()) {
                slotFreeAfter.add(deadAfter);
            } else {
                slotFreeAfter.set(slot, deadAfter);
            }
            Fold fold = new Fold(vertex.getVertexName(),
                    norm == null ? null : (BatchNormalization) ((LayerVertex) norm).getLayer(),
                    norm == null ? null : norm.getVertexName(), relu == null ? null : relu.getVertexName(),
                    plan.holdsOutput(last.getVertexName()), slot);
            byProducer.put(fold.producer(), fold);
            if (norm != null) {
                byFollower.put(fold.normName(), fold);
            }
            if (relu != null) {
                byFollower.put(fold.relu(), fold);
            }
        }
        return new InferenceFolding(byProducer, byFollower, slotFreeAfter.size());
    }

    /** A plain convolution with the identity activation on NCHW maps. */
    private static boolean foldableConvolution(GraphVertex vertex) {
        return vertex instanceof LayerVertex conv && KeptOutputConvolutionLayer.swappable(conv.getLayer())
                && KeptOutputConvolutionLayer.identity(conv.getLayer())
                && ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) conv.getLayer().conf().getLayer())
                .getCnn2dDataFormat() == CNN2DFormat.NCHW;
    }

    private static GraphVertex onlyReader(GraphVertex[] vertices, GraphVertex vertex) {
        VertexIndices[] readers = vertex.getOutputVertices();
        return readers == null || readers.length != 1 || vertex.isOutputVertex() ? null
                : vertices[readers[0].getVertexIndex()];
    }

    private static boolean foldableNorm(GraphVertex vertex) {
        if (vertex == null || !(vertex instanceof LayerVertex layerVertex) || !FastBatchNormalization.swappable(layerVertex.getLayer())
                || layerVertex.getInputVertices().length != 1) {
            return false;
        }
        var conf = (org.deeplearning4j.nn.conf.layers.BatchNormalization) layerVertex.getLayer().conf().getLayer();
        return !conf.isLockGammaBeta() && conf.getCnn2DFormat() == CNN2DFormat.NCHW;
    }

    /** The last step at which a reader of {@code vertex} runs: its output is dead after it. */
    private static int lastReadAt(GraphVertex vertex, int[] position, int steps) {
        VertexIndices[] readers = vertex.getOutputVertices();
        if (readers == null || readers.length == 0) {
            return steps - 1;
        }
        int last = -1;
        for (VertexIndices reader : readers) {
            last = Math.max(last, position[reader.getVertexIndex()]);
        }
        return last;
    }

    /** The fold of convolution {@code name}, or null. */
    Fold ofConvolution(String name) {
        Fold fold = byProducer.get(name);
        return fold == null || fold.norm() == null ? null : fold;
    }

    /** The fold of sum or batch norm {@code name}, whose ReLU it applies, or null. */
    Fold ofRectifier(String name) {
        Fold fold = byProducer.get(name);
        return fold == null || fold.norm() != null ? null : fold;
    }

    /**
     * Whether a convolution folds in this pass: DL4J's inference pass for the output layers, with the convolution's
     * own output not asked for (DL4J then scopes it out of the workspaces). A pass asked for vertices by name
     * ({@code output(List<String>, ...)}, the one other caller of that pass) folds nothing, since a batch norm asked
     * for must hand on its own values, not rectified ones.
     */
    boolean folds(LayerWorkspaceMgr workspaces) {
        return inInferencePass(workspaces) && !askedByName(workspaces);
    }

    private boolean askedByName(LayerWorkspaceMgr workspaces) {
        for (int i = 0; i < recentManagers.length; i++) {
            if (recentManagers[i] == workspaces) {
                return recentAskedByName[i];
            }
        }
        boolean byName = CALLERS.walk(frames -> frames.anyMatch(frame ->
                frame.getDeclaringClass() == ComputationGraph.class && frame.getMethodName().equals("output")
                        && frame.getDescriptor().startsWith("(Ljava/util/List;")));
        recentManagers[nextRecent] = workspaces;
        recentAskedByName[nextRecent] = byName;
        nextRecent = (nextRecent + 1) % recentManagers.length;
        return byName;
    }

    private static boolean inInferencePass(LayerWorkspaceMgr workspaces) {
        String name = workspaces.getWorkspaceName(ArrayType.ACTIVATIONS);
        return name != null && name.startsWith(INFERENCE_WORKSPACE_PREFIX)
                && !workspaces.isScopedOut(ArrayType.ACTIVATIONS);
    }

    /**
     * What a batch norm or ReLU hands on for a folded output it is given: that output, or, where its own output is
     * asked for (scoped out of the workspaces), a detached copy, since the buffer is written again next pass.
     */
    static INDArray handOn(INDArray folded, LayerWorkspaceMgr workspaces) {
        return inInferencePass(workspaces) ? folded : workspaces.dup(ArrayType.ACTIVATIONS, folded);
    }

    /**
     * The detached buffer of {@code fold}'s slot as an array of this shape, NCHW or held channels-last, grown where
     * it is too small. Each shape's view is made once per buffer: making one costs ND4J several native calls, a few
     * percent of a small net's inference pass.
     */
    INDArray output(Fold fold, DataType type, long[] nchw, boolean held) {
        long length = nchw[0] * nchw[1] * nchw[2] * nchw[3];
        INDArray buffer = buffers[fold.slot()];
        if (buffer == null || buffer.dataType() != type || buffer.length() < length) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                buffer = Nd4j.createUninitializedDetached(type, length);
            }
            buffers[fold.slot()] = buffer;
            views[fold.slot()] = new HashMap<>();
        }
        INDArray whole = buffer;
        return views[fold.slot()].computeIfAbsent(List.of(nchw[0], nchw[1], nchw[2], nchw[3], held ? 1L : 0L), key -> {
            INDArray flat = whole.length() == length ? whole : whole.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, length));
            return held ? flat.reshape('c', nchw[0], nchw[2], nchw[3], nchw[1]).permute(0, 3, 1, 2)
                    : flat.reshape('c', nchw);
        });
    }

    /**
     * Records what convolution, sum or batch norm {@code producer} handed on in this pass: its folded output, or
     * null.
     */
    void wrote(String producer, INDArray output) {
        written.put(producer, output);
    }

    /** Whether convolution, sum or batch norm {@code producer} wrote a folded output in its last pass. */
    boolean folded(String producer) {
        return written.get(producer) != null;
    }

    /**
     * Whether {@code input} of batch norm or ReLU {@code name} is the folded output its convolution, sum or batch
     * norm just wrote.
     */
    boolean alreadyApplied(String name, INDArray input) {
        Fold fold = byFollower.get(name);
        return fold != null && input != null && written.get(fold.producer()) == input;
    }

    /** How many detached buffers the folded outputs take turns in. */
    int slots() {
        return buffers.length;
    }
}
