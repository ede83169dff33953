package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
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
     * {@code Y = max_t Y_t} per class over the real steps, then softmax and cross-entropy. Output [batch, classes].
     */
    public static GraphBuilder maxOverTime(GraphBuilder graph, String input, int numClasses) {
        return pooledStepScores(graph, input, numClasses, PoolingType.MAX, "max_over_time");
    }

    /**
     * {@code Y = mean_t Y_t} over the real steps, then softmax: the same as a linear classifier on the mean
     * hidden state, since the scores are linear in it. Output [batch, classes].
     */
    public static GraphBuilder meanOverTime(GraphBuilder graph, String input, int numClasses) {
        return pooledStepScores(graph, input, numClasses, PoolingType.AVG, "mean_over_time");
    }

    private static GraphBuilder pooledStepScores(GraphBuilder graph, String input, int numClasses,
                                                 PoolingType pooling, String poolName) {
        // A dense layer on a sequence is applied at every step (time folded into the batch), and unlike DL4J's
        // TimeDistributed wrapper the fold and unfold carry the mask along, so the pooling never sees padding.
        graph.addLayer("step_scores", new DenseLayer.Builder()
                .nOut(numClasses)
                .activation(Activation.IDENTITY)
                .weightInit(WeightInit.XAVIER)
                .build(), input);
        graph.addLayer(poolName, new GlobalPoolingLayer.Builder(pooling).build(), new FeedForwardToRnnPreProcessor(),
                "step_scores");
        return graph.addLayer(Graphs.OUTPUT, new LossLayer.Builder(LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .build(), poolName)
                .setOutputs(Graphs.OUTPUT);
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
