package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_submemory;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.FrozenVertex;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's merge vertex, for the concatenations along the channels of NCHW maps (every DenseNet and inception
 * concatenation), in two ways:
 * <ul>
 *   <li>where the output is held channels-last ({@link ChannelsLastPlan}: the concatenation copies anyway, so it
 *       can write the layout its readers compute fastest in), each NCHW input is copied into its channels of the
 *       output, and each input's gradient out of the output gradient, by oneDNN reorders between the input and its
 *       slice of the output (DL4J's concat and strided {@code assign} would walk a held array element by
 *       element);</li>
 *   <li>otherwise the forward pass is libnd4j's concat and the backward pass hands each input its slice of the
 *       output gradient as plain memory copies: one example's channels of one input are one contiguous run in both
 *       (DenseNet-BC-100's merge backward was 8% of its training step with DL4J's strided {@code assign},
 *       docs/fast-layers.md).</li>
 * </ul>
 * Other axes, ranks and types are DL4J's.
 */
final class FastMergeVertex extends MergeVertex {

    private final ChannelsLastPlan plan;
    private final int mergeAxis;
    /** The reorders of one forward pass's input shapes, built on first use. */
    private final Map<List<List<Long>>, Slices> slicesByShapes = new HashMap<>();
    /** The reorders the last forward pass used, or null where it was DL4J's. */
    private Slices lastSlices;
    /** For each input, whether a vertex after this one in topological order reads it too; worked out on first use. */
    private boolean[] laterReaderOfInput;

    private FastMergeVertex(ComputationGraph graph, GraphVertex old, DataType dataType, int mergeAxis,
                            ChannelsLastPlan plan) {
        super(graph, old.getVertexName(), old.getVertexIndex(), old.getInputVertices(), old.getOutputVertices(),
                dataType, mergeAxis);
        this.mergeAxis = mergeAxis;
        this.plan = plan;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        lastSlices = null;
        if (!plan.holdsOutput(getVertexName()) || !canDoForward() || !mergesMaps()) {
            return super.doForward(training, workspaceMgr);
        }
        // the plan holds no input of a concatenation: each is an NCHW map
        INDArray[] blocks = new INDArray[inputs.length];
        long[][] shapes = new long[inputs.length][];
        List<List<Long>> key = new ArrayList<>();
        long channels = 0;
        for (int i = 0; i < inputs.length; i++) {
            blocks[i] = BlasMatrix.contiguous(inputs[i]);
            shapes[i] = blocks[i].shape();
            channels += shapes[i][1];
            key.add(List.of(shapes[i][0], shapes[i][1], shapes[i][2], shapes[i][3]));
        }
        GraphSwaps.set(MergeVertex.class, this, "forwardPassShapes", shapes);
        GraphSwaps.set(MergeVertex.class, this, "fwdPassRank", 4);
        INDArray out = ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATIONS, dataType,
                new long[]{shapes[0][0], channels, shapes[0][2], shapes[0][3]});
        Slices slices = slicesByShapes.computeIfAbsent(key, k -> new Slices(shapes));
        for (int i = 0; i < blocks.length; i++) {
            slices.copyIn(i, blocks[i], out);
        }
        lastSlices = slices;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        long[][] shapes = (long[][]) GraphSwaps.get(MergeVertex.class, this, "forwardPassShapes");
        if (!canDoBackward() || shapes == null || shapes.length < 2 || shapes[0].length != 4 || mergeAxis != 1) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        if (lastSlices != null && ChannelsLast.is(epsilon)) {
            INDArray[] gradients = new INDArray[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                INDArray summed = summedSoFar(i, shapes[i]);
                if (summed != null) {
                    lastSlices.addOut(i, epsilon, summed);
                    gradients[i] = SummedGradient.alreadyAdded(workspaceMgr, dataType);
                } else {
                    gradients[i] = SummedGradient.create(workspaceMgr, dataType, shapes[i]);
                    lastSlices.copyOut(i, epsilon, gradients[i]);
                }
            }
            return new Pair<>(null, gradients);
        }
        if (!BlasMatrix.isCBlock(epsilon)) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        long examples = epsilon.size(0);
        long plane = epsilon.size(2) * epsilon.size(3);
        long elementBytes = epsilon.dataType().width();
        long exampleBytes = epsilon.size(1) * plane * elementBytes;
        Pointer from = epsilon.data().addressPointer();
        INDArray[] gradients = new INDArray[shapes.length];
        long channelOffset = 0;
        for (int i = 0; i < shapes.length; i++) {
            INDArray summed = epsilon.dataType() == DataType.FLOAT ? summedSoFar(i, shapes[i]) : null;
            if (summed != null) {
                addSlice(epsilon, channelOffset, summed);
                gradients[i] = SummedGradient.alreadyAdded(workspaceMgr, dataType);
                channelOffset += shapes[i][1];
                continue;
            }
            gradients[i] = SummedGradient.create(workspaceMgr, epsilon.dataType(), shapes[i]);
            long runBytes = shapes[i][1] * plane * elementBytes;
            Pointer to = gradients[i].data().addressPointer();
            for (long n = 0; n < examples; n++) {
                Pointer.memcpy(new BytePointer(to).position(n * runBytes),
                        new BytePointer(from).position(n * exampleBytes + channelOffset * plane * elementBytes),
                        runBytes);
            }
            channelOffset += shapes[i][1];
        }
        return new Pair<>(null, gradients);
    }

    /**
     * Adds an input's channels of a C-ordered float gradient, from {@code channelOffset} on, to its summed gradient:
     * one contiguous run per example on both sides, added in a Java loop (the sums are at most a few thousand
     * values an example, where a native op's fixed cost would be most of the time).
     */
    private static void addSlice(INDArray epsilon, long channelOffset, INDArray summed) {
        FloatBuffer from = BlasMatrix.floatBuffer(epsilon);
        FloatBuffer to = BlasMatrix.floatBuffer(summed);
        int plane = Math.toIntExact(epsilon.size(2) * epsilon.size(3));
        int exampleLength = Math.toIntExact(epsilon.size(1)) * plane;
        int run = Math.toIntExact(summed.size(1)) * plane;
        int start = Math.toIntExact(channelOffset) * plane;
        for (int n = 0; n < epsilon.size(0); n++) {
            int source = n * exampleLength + start;
            int target = n * run;
            for (int k = 0; k < run; k++) {
                to.put(target + k, to.get(target + k) + from.get(source + k));
            }
        }
    }

    /**
     * The gradient of input {@code i} that an earlier concatenation of it handed DL4J in this backward pass, where
     * it is a {@link SummedGradient} this one can add into; else null. DL4J runs the vertices backward in reverse
     * topological order, each exactly once, so where another reader of the input comes after this vertex in that
     * order, the input's gradient was set in this pass. DL4J stops at a frozen layer or vertex, so in a graph with
     * one every concatenation hands DL4J its slices to sum.
     */
    private INDArray summedSoFar(int i, long[] shape) {
        if (laterReaderOfInput == null) {
            laterReaderOfInput = laterReaders();
        }
        if (!laterReaderOfInput[i]) {
            return null;
        }
        INDArray gradient = graph.getVertices()[getInputVertices()[i].getVertexIndex()].getEpsilon();
        return gradient instanceof SummedGradient && Arrays.equals(gradient.shape(), shape)
                && gradient.dataType() == dataType ? gradient : null;
    }

    /** For each input, whether a vertex after this one in topological order reads it too. */
    private boolean[] laterReaders() {
        boolean[] later = new boolean[getInputVertices().length];
        if (Arrays.stream(graph.getVertices()).anyMatch(v -> v instanceof FrozenVertex
                || v.hasLayer() && (v.getLayer() instanceof FrozenLayer || v.getLayer() instanceof FrozenLayerWithBackprop))) {
            return later;
        }
        int[] order = graph.topologicalSortOrder();
        int[] position = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            position[order[p]] = p;
        }
        for (int i = 0; i < later.length; i++) {
            for (VertexIndices reader : graph.getVertices()[getInputVertices()[i].getVertexIndex()].getOutputVertices()) {
                later[i] |= position[reader.getVertexIndex()] > position[getVertexIndex()];
            }
        }
        return later;
    }

    /** Whether this pass concatenates the channels of float NCHW maps of one batch and size, which oneDNN can. */
    private boolean mergesMaps() {
        if (mergeAxis != 1 || inputs.length < 2 || !OneDnn.handles(dataType)) {
            return false;
        }
        for (INDArray x : inputs) {
            if (x.rank() != 4 || x.dataType() != dataType || x.size(0) != inputs[0].size(0)
                    || x.size(2) != inputs[0].size(2) || x.size(3) != inputs[0].size(3)) {
                return false;
            }
        }
        return true;
    }

    /**
     * For each input of one set of shapes, the reorders between the input's NCHW block and its channels of the
     * NHWC output (a sub-memory of it), one way for the forward pass and back for the gradient.
     */
    private static final class Slices {
        private final dnnl_primitive[] into;
        private final dnnl_primitive[] outOf;
        private final dnnl_primitive[] addedOutOf;
        private final dnnl_memory[] whole;
        private final dnnl_memory[] slice;

        Slices(long[][] shapes) {
            int n = shapes.length;
            into = new dnnl_primitive[n];
            outOf = new dnnl_primitive[n];
            addedOutOf = new dnnl_primitive[n];
            whole = new dnnl_memory[n];
            slice = new dnnl_memory[n];
            long channels = 0;
            for (long[] shape : shapes) {
                channels += shape[1];
            }
            OneDnn.Natives natives = new OneDnn.Natives();
            dnnl_memory_desc_t output = OneDnn.desc(new long[]{shapes[0][0], channels, shapes[0][2], shapes[0][3]},
                    dnnl_nhwc);
            long offset = 0;
            for (int i = 0; i < n; i++) {
                dnnl_memory_desc_t block = OneDnn.desc(shapes[i], dnnl_nchw);
                dnnl_memory_desc_t part = new dnnl_memory_desc_t();
                OneDnn.check(dnnl_memory_desc_init_submemory(part, output, shapes[i], new long[]{0, offset, 0, 0}),
                        "concatenation slice");
                into[i] = natives.reorder(block, part);
                outOf[i] = natives.reorder(part, block);
                addedOutOf[i] = natives.summingReorder(part, block);
                whole[i] = natives.memory(block);
                slice[i] = natives.memory(part);
                offset += shapes[i][1];
            }
            natives.freeWith(this);
        }

        /** Copies input {@code i} into its channels of {@code out}. */
        void copyIn(int i, INDArray input, INDArray out) {
            OneDnn.bind(whole[i], input);
            OneDnn.bind(slice[i], out);
            OneDnn.reorder(into[i], whole[i], slice[i]);
        }

        /** Writes input {@code i}'s channels of {@code epsilon} to {@code gradient}, in C order. */
        void copyOut(int i, INDArray epsilon, INDArray gradient) {
            OneDnn.bind(slice[i], epsilon);
            OneDnn.bind(whole[i], gradient);
            OneDnn.reorder(outOf[i], slice[i], whole[i]);
        }

        /** Adds input {@code i}'s channels of {@code epsilon} to {@code gradient}, in C order. */
        void addOut(int i, INDArray epsilon, INDArray gradient) {
            OneDnn.bind(slice[i], epsilon);
            OneDnn.bind(whole[i], gradient);
            OneDnn.reorder(addedOutOf[i], slice[i], whole[i]);
        }
    }

    /**
     * Puts a {@code FastMergeVertex} (for {@code fast}) or DL4J's own merge vertex in place of every merge vertex
     * of {@code graph}.
     */
    static void swapMergeVertices(ComputationGraph graph, boolean fast, ChannelsLastPlan plan) {
        for (GraphVertex old : graph.getVertices().clone()) {
            if (swappable(old) && old instanceof FastMergeVertex != fast) {
                DataType dataType = (DataType) GraphSwaps.get(BaseGraphVertex.class, old, "dataType");
                int mergeAxis = (int) GraphSwaps.get(MergeVertex.class, old, "mergeAxis");
                GraphSwaps.replaceVertex(graph, old, fast ? new FastMergeVertex(graph, old, dataType, mergeAxis, plan)
                        : new MergeVertex(graph, old.getVertexName(), old.getVertexIndex(), old.getInputVertices(),
                        old.getOutputVertices(), dataType, mergeAxis));
            }
        }
    }

    /** DL4J's merge vertex (or this one). */
    static boolean swappable(GraphVertex vertex) {
        return vertex.getClass() == MergeVertex.class || vertex instanceof FastMergeVertex;
    }

    /** Whether the merge vertex concatenates along axis 1, the channels of NCHW maps. */
    static boolean mergesChannels(GraphVertex vertex) {
        return (int) GraphSwaps.get(MergeVertex.class, vertex, "mergeAxis") == 1;
    }
}
