package org.zoobench.zoo.weights;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier's scores before its softmax, what torchvision's models return: every zoo net ends in a softmax
 * output layer, whose activation is set to the identity for one inference pass.
 */
public final class Logits {

    private Logits() {
    }

    /** The logits of {@code graph} (inference mode: no dropout, BatchNorm's running statistics) for {@code input}. */
    public static INDArray of(ComputationGraph graph, INDArray input) {
        BaseLayer output = (BaseLayer) graph.getOutputLayer(0).conf().getLayer();
        IActivation softmax = output.getActivationFn();
        output.setActivationFn(new ActivationIdentity());
        try {
            return graph.outputSingle(false, input);
        } finally {
            output.setActivationFn(softmax);
        }
    }
}
