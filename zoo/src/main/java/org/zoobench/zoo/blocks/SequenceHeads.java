package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Output heads for a [batch, width, time] sequence of hidden states. Every head ends in a softmax named
 * {@value Graphs#OUTPUT} trained with cross-entropy; all of them respect the input's mask, so padded steps
 * never reach the output.
 */
public final class SequenceHeads {

    private SequenceHeads() {
    }

    /**
     * The notes' sequence classifier: class scores at every step, {@code Y_t = W h_t + b}, then
     * {@code Y = max_t Y_t} per class, then softmax and cross-entropy. Output [batch, classes].
     */
    public static GraphBuilder maxOverTime(GraphBuilder graph, String input, int numClasses) {
        graph.addLayer("step_scores", new TimeDistributed(new DenseLayer.Builder()
                .nOut(numClasses)
                .activation(Activation.IDENTITY)
                .weightInit(WeightInit.XAVIER)
                .build()), input);
        graph.addLayer("max_over_time", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "step_scores");
        return graph.addLayer(Graphs.OUTPUT, new LossLayer.Builder(LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .build(), "max_over_time")
                .setOutputs(Graphs.OUTPUT);
    }

    /** Mean of the hidden states over the real steps, then a softmax classifier. Output [batch, classes]. */
    public static GraphBuilder meanOverTime(GraphBuilder graph, String input, int numClasses) {
        graph.addLayer("mean_over_time", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), input);
        return Graphs.classifier(graph, "mean_over_time", numClasses);
    }

    /**
     * The hidden state at each sequence's last real step (read from the mask of {@code maskInput}), then a
     * softmax classifier. Output [batch, classes]. In a bidirectional stack the backward half of that state
     * has seen only the last step; max or mean over time use both directions fully.
     */
    public static GraphBuilder lastStep(GraphBuilder graph, String input, String maskInput, int numClasses) {
        graph.addVertex("last_step", new LastTimeStepVertex(maskInput), input);
        return Graphs.classifier(graph, "last_step", numClasses);
    }

    /** One softmax label per step (sequence labelling). Output and labels [batch, classes, time]. */
    public static GraphBuilder perStep(GraphBuilder graph, String input, int numClasses) {
        return graph.addLayer(Graphs.OUTPUT, new RnnOutputLayer.Builder(LossFunction.MCXENT)
                        .nOut(numClasses)
                        .activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER)
                        .build(), input)
                .setOutputs(Graphs.OUTPUT);
    }
}
