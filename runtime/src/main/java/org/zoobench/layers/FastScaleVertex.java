package org.zoobench.layers;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.ScaleVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's scaling vertex (an option-A shortcut's zero channels are its input scaled by 0) computing on flat blocks in
 * the layouts {@link ChannelsLastPlan} gives it, so that a shortcut's maps can stay channels-last: DL4J's multiplies
 * a strided array element by element and writes C order. One scalar multiplication each way, as DL4J's, so the same
 * bits (docs/fast-layers.md).
 */
final class FastScaleVertex extends ScaleVertex {

    private final double scale;
    private final ChannelsLastPlan plan;

    private FastScaleVertex(ComputationGraph graph, GraphVertex old, double scale, DataType dataType,
                            ChannelsLastPlan plan) {
        super(graph, old.getVertexName(), old.getVertexIndex(), old.getInputVertices(), old.getOutputVertices(), scale,
                dataType);
        this.scale = scale;
        this.plan = plan;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward() || inputs.length != 1 || inputs[0].rank() != 4) {
            return super.doForward(training, workspaceMgr);
        }
        INDArray x = inputs[0];
        INDArray out = plan.holdsOutput(getVertexName())
                ? ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATIONS, x.dataType(), x.shape())
                : workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        scaled(x, out, workspaceMgr, ArrayType.FF_WORKING_MEM);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward() || epsilon.rank() != 4) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        INDArray gradient = plan.inputHeld(getVertexName(), 0)
                ? ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape())
                : workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape());
        scaled(epsilon, gradient, workspaceMgr, ArrayType.BP_WORKING_MEM);
        return new Pair<>(null, new INDArray[]{gradient});
    }

    /** {@code result = values * scale}, one op over flat blocks in {@code result}'s layout. */
    private void scaled(INDArray values, INDArray result, LayerWorkspaceMgr workspaceMgr, ArrayType working) {
        INDArray source = ChannelsLast.inLayoutOf(ChannelsLast.block(values), result, workspaceMgr, working);
        Nd4j.exec(new ScalarMultiplication(ChannelsLast.flat(source), null, ChannelsLast.flat(result), scale));
    }

    /** Puts a {@code FastScaleVertex} (for {@code fast}) or DL4J's own in place of every scaling vertex of the graph. */
    static void swapScaleVertices(ComputationGraph graph, boolean fast, ChannelsLastPlan plan) {
        for (GraphVertex old : graph.getVertices().clone()) {
            if (swappable(old) && old instanceof FastScaleVertex != fast) {
                DataType dataType = (DataType) GraphSwaps.get(BaseGraphVertex.class, old, "dataType");
                double scale = (double) GraphSwaps.get(ScaleVertex.class, old, "scaleFactor");
                GraphSwaps.replaceVertex(graph, old, fast ? new FastScaleVertex(graph, old, scale, dataType, plan)
                        : new ScaleVertex(graph, old.getVertexName(), old.getVertexIndex(), old.getInputVertices(),
                        old.getOutputVertices(), scale, dataType));
            }
        }
    }

    /** DL4J's scaling vertex (or this one). */
    static boolean swappable(GraphVertex vertex) {
        return vertex.getClass() == ScaleVertex.class || vertex instanceof FastScaleVertex;
    }
}
