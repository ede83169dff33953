package org.zoobench.layers;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's element-wise vertex whose sum (every residual connection of the zoo) writes the first two inputs' sum into
 * a new array with one op (oneDNN's in float32 on the CPU backend, {@link OneDnnSum}, else libnd4j's), where DL4J
 * copies the first input and then adds each further one in place (a copy and an op per input,
 * docs/fast-layers.md). Inputs held channels-last ({@link ChannelsLast}) are added as flat blocks into a sum held
 * the same way (a term held in C order beside them is copied to that layout first: a strided sum takes five times
 * as long), and the backward pass hands each input a copy of the gradient in the gradient's own layout (DL4J's
 * copies would reorder it to C order). Where the sum's only reader is a plain ReLU, the training step and the
 * inference pass write the sum rectified and the ReLU hands it on ({@link ReluFolding}, {@link InferenceFolding}).
 * Inputs of different shapes or types (DL4J broadcasts or casts them) and the vertex's other operations are DL4J's.
 */
final class FastAddVertex extends ElementWiseVertex {

    /** DL4J's backward pass reads how many inputs the forward pass had from this private field. */
    private static final Field INPUTS_IN_FORWARD_PASS = GraphSwaps.field(ElementWiseVertex.class, "nInForwardPass");

    private final ChannelsLastPlan plan;
    private final ReluFolding reluFolding;
    private final InferenceFolding inferenceFolding;
    /** oneDNN's sums per array length: one per batch size the vertex sees. */
    private final Map<Long, OneDnnSum> byLength = new HashMap<>();
    private int inputsInForwardPass;

    private FastAddVertex(ComputationGraph graph, GraphVertex old, DataType dataType, ChannelsLastPlan plan,
                          ReluFolding reluFolding, InferenceFolding inferenceFolding) {
        super(graph, old.getVertexName(), old.getVertexIndex(), old.getInputVertices(), old.getOutputVertices(),
                Op.Add, dataType);
        this.plan = plan;
        this.reluFolding = reluFolding;
        this.inferenceFolding = inferenceFolding;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        inputsInForwardPass = 0;
        if (!canDoForward() || inputs.length < 2 || !sameShapesAndType()) {
            return super.doForward(training, workspaceMgr);
        }
        try {
            INPUTS_IN_FORWARD_PASS.setInt(this, inputs.length);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("DL4J ElementWiseVertex.nInForwardPass is not writable", e);
        }
        inputsInForwardPass = inputs.length;
        boolean channelsLast = plan.holdsOutput(getVertexName());
        long[] shape = inputs[0].shape();
        String name = getVertexName();
        boolean oneDnn = OneDnn.handles(dataType);
        InferenceFolding.Fold fold = inferenceFolding.ofRectifier(name);
        boolean foldedInference = !training && oneDnn && fold != null && inferenceFolding.folds(workspaceMgr);
        boolean rectify = foldedInference
                || training && oneDnn && reluFolding.folds(name) && ReluFolding.inTrainingStep(workspaceMgr);
        INDArray sum;
        if (foldedInference) {
            sum = inferenceFolding.output(fold, dataType, shape, channelsLast);
        } else {
            sum = channelsLast ? ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATIONS, dataType, shape)
                    : workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape);
        }
        INDArray flatSum = ChannelsLast.flat(sum);
        INDArray first = flatTerm(inputs[0], sum, workspaceMgr);
        INDArray second = flatTerm(inputs[1], sum, workspaceMgr);
        if (oneDnn) {
            byLength.computeIfAbsent(flatSum.length(), OneDnnSum::new).add(first, second, flatSum, rectify);
        } else {
            Nd4j.exec(new AddOp(first, second, flatSum));
        }
        for (int i = 2; i < inputs.length; i++) {
            flatSum.addi(flatTerm(inputs[i], sum, workspaceMgr));
        }
        if (fold != null) {
            inferenceFolding.wrote(name, foldedInference ? sum : null);
        }
        if (reluFolding.folds(name)) {
            reluFolding.wrote(name, rectify && !foldedInference ? sum : null);
        }
        return sum;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (inputsInForwardPass == 0 || !canDoBackward()
                || !(ChannelsLast.is(epsilon) || BlasMatrix.isCBlock(epsilon))) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        INDArray flatEpsilon = ChannelsLast.flat(epsilon);
        INDArray[] gradients = new INDArray[inputsInForwardPass];
        long[] shape = epsilon.shape();
        for (int i = 0; i < gradients.length; i++) {
            boolean held = plan.inputHeld(getVertexName(), i);
            gradients[i] = held ? ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATION_GRAD, dataType, shape)
                    : workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, shape);
            if (held == ChannelsLast.is(epsilon)) {
                ChannelsLast.flat(gradients[i]).assign(flatEpsilon);
            } else {
                gradients[i].assign(epsilon);
            }
        }
        return new Pair<>(null, gradients);
    }

    /** A term's values as a flat block in the sum's layout (a copy where it is held otherwise). */
    private static INDArray flatTerm(INDArray term, INDArray sum, LayerWorkspaceMgr workspaceMgr) {
        return ChannelsLast.flat(ChannelsLast.inLayoutOf(term, sum, workspaceMgr, ArrayType.FF_WORKING_MEM));
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
    static void swapAddVertices(ComputationGraph graph, boolean fast, ChannelsLastPlan plan, ReluFolding reluFolding,
                                InferenceFolding inferenceFolding) {
        for (GraphVertex old : graph.getVertices().clone()) {
            if (swappable(old) && old instanceof FastAddVertex != fast) {
                DataType dataType = (DataType) GraphSwaps.get(BaseGraphVertex.class, old, "dataType");
                GraphSwaps.replaceVertex(graph, old, fast
                        ? new FastAddVertex(graph, old, dataType, plan, reluFolding, inferenceFolding)
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
