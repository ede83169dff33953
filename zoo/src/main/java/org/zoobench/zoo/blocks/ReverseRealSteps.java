package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Reverses each sequence's real steps in place and leaves its padding where it is, like DL4J's
 * {@link ReverseTimeSeriesVertex}, whose implementation copies one step of one example at a time (thousands of
 * tiny native calls per batch); this one does the whole batch as one row gather. The reversal is its own inverse,
 * so the backward pass gathers the gradients with the same indices.
 */
public class ReverseRealSteps extends ReverseTimeSeriesVertex {

    /** @param maskArrayInputName the graph input whose mask marks the real steps (no mask: reverse all steps) */
    public ReverseRealSteps(@JsonProperty("maskArrayInputName") String maskArrayInputName) {
        super(maskArrayInputName);
    }

    @Override
    public ReverseRealSteps clone() {
        return new ReverseRealSteps(getMaskArrayInputName());
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.impl.rnn.ReverseTimeSeriesVertex instantiate(
            ComputationGraph graph, String name, int idx, INDArray paramsView, boolean initializeParams,
            DataType networkDatatype) {
        return new Impl(graph, name, idx, getMaskArrayInputName(), networkDatatype);
    }

    static final class Impl extends org.deeplearning4j.nn.graph.vertex.impl.rnn.ReverseTimeSeriesVertex {

        private final int maskInput;

        Impl(ComputationGraph graph, String name, int idx, String maskArrayInputName, DataType dataType) {
            super(graph, name, idx, maskArrayInputName, dataType);
            this.maskInput = graph.getConfiguration().getNetworkInputs().indexOf(maskArrayInputName);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, reverse(inputs[0]));
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            return new Pair<>(null, new INDArray[]{workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, reverse(epsilon))});
        }

        /** [batch, features, time] with each example's real steps in reverse order. */
        private INDArray reverse(INDArray sequences) {
            int batch = (int) sequences.size(0);
            int features = (int) sequences.size(1);
            int steps = (int) sequences.size(2);
            INDArray[] masks = graph.getInputMaskArrays();
            INDArray mask = masks == null || maskInput < 0 ? null : masks[maskInput];
            float[][] real = mask == null ? null : mask.castTo(DataType.FLOAT).toFloatMatrix();
            // Row b*steps + t of the output is row source[b*steps + t] of the input.
            int[] source = new int[batch * steps];
            int[] realSteps = new int[steps];
            for (int b = 0; b < batch; b++) {
                int n = 0;
                for (int t = 0; t < steps; t++) {
                    source[b * steps + t] = b * steps + t;
                    if (real == null || real[b][t] != 0) {
                        realSteps[n++] = t;
                    }
                }
                for (int j = 0; j < n; j++) {
                    source[b * steps + realSteps[j]] = b * steps + realSteps[n - 1 - j];
                }
            }
            INDArray rows = sequences.permute(0, 2, 1).dup('c').reshape('c', (long) batch * steps, features);
            INDArray gathered = Nd4j.pullRows(rows, 1, source);
            return gathered.reshape('c', batch, steps, features).permute(0, 2, 1);
        }
    }
}
