package org.zoobench.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's graph updater, minus a per-step cost it pays by mistake. {@code BaseMultiLayerUpdater.update} decides
 * whether a gradient is the network's own by identity ({@code gradient.gradient() != getFlattenedGradientsView()}),
 * but in DL4J 1.0.0-M2.1 {@code DefaultGradient.gradient()} returns a new reshaped array on every call, so every
 * training step takes the path meant for gradients computed in another network: each updater block, each
 * parameter's regularisation and the division by the minibatch size cut fresh views out of the whole gradient and
 * parameter arrays, and ND4J's array creation costs tens of microseconds each (docs/fast-layers.md). When the gradient is the network's own memory this updater tells DL4J so, and DL4J runs
 * its standard path on the views it made once; the arithmetic is the same, so the parameters are bit for bit the
 * same (FastLayersTest).
 */
final class OwnGradientUpdater extends ComputationGraphUpdater {

    /** The network's gradient array this updater's blocks were cut from, in DL4J's constructor. */
    private final INDArray builtOn;

    /** An updater for {@code graph} that continues from {@code state} (the current updater's state, shared). */
    OwnGradientUpdater(ComputationGraph graph, INDArray state) {
        super(graph, state);
        this.builtOn = graph.getFlattenedGradients();
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        INDArray own = getFlattenedGradientsView();
        boolean isOwn = own == builtOn && sameMemory(gradient.gradient(), own);
        super.update(isOwn ? new Own(gradient, own) : gradient, iteration, epoch, batchSize, workspaceMgr);
    }

    @Override
    public ComputationGraphUpdater clone() {
        return new OwnGradientUpdater(network, null);
    }

    private static boolean sameMemory(INDArray a, INDArray b) {
        return a != null && b != null && a.length() == b.length() && a.dataType() == b.dataType()
                && a.data().addressPointer().address() == b.data().addressPointer().address();
    }

    /** {@code gradient} whose flattened array is, by identity, the network's own gradient array. */
    private record Own(Gradient delegate, INDArray flattened) implements Gradient {

        @Override
        public INDArray gradient() {
            return flattened;
        }

        @Override
        public Map<String, INDArray> gradientForVariable() {
            return delegate.gradientForVariable();
        }

        @Override
        public INDArray gradient(List<String> order) {
            return delegate.gradient(order);
        }

        @Override
        public void clear() {
            delegate.clear();
        }

        @Override
        public INDArray getGradientFor(String variable) {
            return delegate.getGradientFor(variable);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray newGradient) {
            return delegate.setGradientFor(variable, newGradient);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray newGradient, Character flatteningOrder) {
            return delegate.setGradientFor(variable, newGradient, flatteningOrder);
        }

        @Override
        public Character flatteningOrderForVariable(String variable) {
            return delegate.flatteningOrderForVariable(variable);
        }
    }
}
