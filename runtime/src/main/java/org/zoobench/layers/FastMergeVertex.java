package org.zoobench.layers;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's merge vertex whose backward pass hands each input its slice of the output gradient as plain memory
 * copies. Merging along the channels of NCHW maps (every DenseNet and inception concatenation), one example's
 * channels of one input are one contiguous run in the gradient and in the input's gradient: a copy per input and
 * example, where DL4J's strided {@code assign} walks the 4-d view element by element (DenseNet-BC-100's merge
 * backward was 8% of its training step, docs/fast-layers.md). The forward pass (libnd4j's concat), other axes,
 * ranks and layouts are DL4J's.
 */
final class FastMergeVertex extends MergeVertex {

    private FastMergeVertex(ComputationGraph graph, GraphVertex old, DataType dataType, int mergeAxis) {
        super(graph, old.getVertexName(), old.getVertexIndex(), old.getInputVertices(), old.getOutputVertices(),
                dataType, mergeAxis);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        long[][] shapes = (long[][]) GraphSwaps.get(MergeVertex.class, this, "forwardPassShapes");
        if (!canDoBackward() || shapes == null || shapes.length < 2 || shapes[0].length != 4
                || (int) GraphSwaps.get(MergeVertex.class, this, "mergeAxis") != 1 || !BlasMatrix.isCBlock(epsilon)) {
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
            gradients[i] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), shapes[i]);
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
     * Puts a {@code FastMergeVertex} (for {@code fast}) or DL4J's own merge vertex in place of every merge vertex
     * of {@code graph}.
     */
    static void swapMergeVertices(ComputationGraph graph, boolean fast) {
        for (GraphVertex old : graph.getVertices().clone()) {
            if (swappable(old) && old instanceof FastMergeVertex != fast) {
                DataType dataType = (DataType) GraphSwaps.get(BaseGraphVertex.class, old, "dataType");
                int mergeAxis = (int) GraphSwaps.get(MergeVertex.class, old, "mergeAxis");
                GraphSwaps.replaceVertex(graph, old, fast ? new FastMergeVertex(graph, old, dataType, mergeAxis)
                        : new MergeVertex(graph, old.getVertexName(), old.getVertexIndex(), old.getInputVertices(),
                        old.getOutputVertices(), dataType, mergeAxis));
            }
        }
    }

    /** DL4J's merge vertex (or this one). */
    static boolean swappable(GraphVertex vertex) {
        return vertex.getClass() == MergeVertex.class || vertex instanceof FastMergeVertex;
    }
}
