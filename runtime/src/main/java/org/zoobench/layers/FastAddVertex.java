package org.zoobench.layers;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's element-wise vertex whose sum (every residual connection of the zoo) writes the first two inputs' sum into
 * a new array with one libnd4j op, where DL4J copies the first input and then adds each further one in place (a
 * copy and an op per input, docs/fast-layers.md). Inputs of different shapes or types (DL4J broadcasts
 * or casts them), the vertex's other operations and its backward pass are DL4J's.
 */
final class FastAddVertex extends ElementWiseVertex {

    /** DL4J's backward pass reads how many inputs the forward pass had from this private field. */
    private static final Field INPUTS_IN_FORWARD_PASS = GraphSwaps.field(ElementWiseVertex.class, "nInForwardPass");

    private FastAddVertex(ComputationGraph graph, GraphVertex old, DataType dataType) {
        super(graph, old.getVertexName(), old.getVertexIndex(), old.getInputVertices(), old.getOutputVertices(),
                Op.Add, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward() || inputs.length < 2 || !sameShapesAndType()) {
            return super.doForward(training, workspaceMgr);
        }
        try {
            INPUTS_IN_FORWARD_PASS.setInt(this, inputs.length);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("DL4J ElementWiseVertex.nInForwardPass is not writable", e);
        }
        INDArray sum = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, inputs[0].shape());
        Nd4j.exec(new AddOp(inputs[0], inputs[1], sum));
        for (int i = 2; i < inputs.length; i++) {
            sum.addi(inputs[i]);
        }
        return sum;
    }

    private boolean sameShapesAndType() {
        for (INDArray term : inputs) {
            if (term.dataType() != dataType || !term.equalShapes(inputs[0])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Puts a {@code FastAddVertex} (for {@code fast}) or DL4J's own vertex in place of every adding element-wise
     * vertex of {@code graph}.
     */
    static void swapAddVertices(ComputationGraph graph, boolean fast) {
        for (GraphVertex old : graph.getVertices().clone()) {
            if (swappable(old) && old instanceof FastAddVertex != fast) {
                DataType dataType = (DataType) GraphSwaps.get(BaseGraphVertex.class, old, "dataType");
                GraphSwaps.replaceVertex(graph, old, fast ? new FastAddVertex(graph, old, dataType)
                        : new ElementWiseVertex(graph, old.getVertexName(), old.getVertexIndex(),
                        old.getInputVertices(), old.getOutputVertices(), Op.Add, dataType));
            }
        }
    }

    /** DL4J's element-wise vertex (or this one) adding its inputs. */
    static boolean swappable(GraphVertex vertex) {
        return (vertex.getClass() == ElementWiseVertex.class || vertex instanceof FastAddVertex)
                && GraphSwaps.get(ElementWiseVertex.class, vertex, "op") == Op.Add;
    }
}
