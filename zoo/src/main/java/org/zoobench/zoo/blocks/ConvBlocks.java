package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * Convolution building blocks shared by every CNN in the zoo. Each method adds its layers to {@code graph}
 * and returns the name of the block's output vertex, so architectures chain blocks by name.
 */
public final class ConvBlocks {

    private ConvBlocks() {
    }

    /** A square convolution with bias followed by ReLU (the pre-BatchNorm style of LeNet, AlexNet, GoogLeNet v1). */
    public static String convRelu(GraphBuilder graph, String name, String input, int outChannels,
                                  int kernel, int stride, int padding) {
        graph.addLayer(name, square(outChannels, kernel, stride, padding).activation(Activation.RELU).build(), input);
        return name;
    }

    /**
     * Convolution without bias (BatchNorm's beta plays that role), BatchNorm, then ReLU: the unit of ResNet,
     * DenseNet and BN-GoogLeNet. Layers are named {@code name}, {@code name_bn}, {@code name_relu}.
     */
    public static String convBnRelu(GraphBuilder graph, String name, String input, int outChannels,
                                    int kernel, int stride, int padding) {
        return relu(graph, name + "_relu", convBn(graph, name, input, outChannels, kernel, stride, padding));
    }

    /** Convolution without bias followed by BatchNorm, no activation (the last conv of a residual branch). */
    public static String convBn(GraphBuilder graph, String name, String input, int outChannels,
                                int kernel, int stride, int padding) {
        return batchNorm(graph, name + "_bn", conv(graph, name, input, outChannels, kernel, stride, padding));
    }

    /** A square convolution without bias or activation: the linear part of every BatchNorm block. */
    public static String conv(GraphBuilder graph, String name, String input, int outChannels,
                              int kernel, int stride, int padding) {
        graph.addLayer(name, square(outChannels, kernel, stride, padding).hasBias(false)
                .activation(Activation.IDENTITY).build(), input);
        return name;
    }

    /** The square kernel, stride and padding every convolution here has; bias and activation are the caller's. */
    private static ConvolutionLayer.Builder square(int outChannels, int kernel, int stride, int padding) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .nOut(outChannels);
    }

    /** BatchNorm over channels (nIn inferred). */
    public static String batchNorm(GraphBuilder graph, String name, String input) {
        graph.addLayer(name, new BatchNormalization.Builder().build(), input);
        return name;
    }

    public static String relu(GraphBuilder graph, String name, String input) {
        graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
        return name;
    }

    /**
     * Pre-activation order: BatchNorm, ReLU, then a convolution without bias (DenseNet's composite function).
     * Layers are named {@code name_bn}, {@code name_relu}, {@code name}.
     */
    public static String bnReluConv(GraphBuilder graph, String name, String input, int outChannels,
                                    int kernel, int stride, int padding) {
        String activated = relu(graph, name + "_relu", batchNorm(graph, name + "_bn", input));
        return conv(graph, name, activated, outChannels, kernel, stride, padding);
    }
}
