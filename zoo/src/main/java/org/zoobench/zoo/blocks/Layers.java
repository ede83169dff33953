package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * The single layers CNNs place between their convolution blocks: pooling, local response normalisation,
 * fully connected ReLU layers and dropout. Like {@link ConvBlocks}, each method returns the name it added.
 */
public final class Layers {

    private Layers() {
    }

    /** Square max pooling without padding; the output size rounds down (Truncate). */
    public static String maxPool(GraphBuilder graph, String name, String input, int kernel, int stride) {
        return pool(graph, name, input, PoolingType.MAX, kernel, stride, ConvolutionMode.Truncate);
    }

    /**
     * Square max pooling whose output is {@code ceil(size / stride)}: Caffe's ceil rounding, which gives
     * GoogLeNet's 112-56-28-14-7 feature-map sizes at 224x224; with stride 1 it keeps the size.
     */
    public static String maxPoolSame(GraphBuilder graph, String name, String input, int kernel, int stride) {
        return pool(graph, name, input, PoolingType.MAX, kernel, stride, ConvolutionMode.Same);
    }

    /** Square average pooling without padding (Truncate). */
    public static String avgPool(GraphBuilder graph, String name, String input, int kernel, int stride) {
        return pool(graph, name, input, PoolingType.AVG, kernel, stride, ConvolutionMode.Truncate);
    }

    private static String pool(GraphBuilder graph, String name, String input, PoolingType type,
                               int kernel, int stride, ConvolutionMode mode) {
        graph.addLayer(name, new SubsamplingLayer.Builder(type)
                .kernelSize(kernel, kernel)
                .stride(stride, stride)
                .convolutionMode(mode)
                .build(), input);
        return name;
    }

    /** Average over all spatial positions, whatever the feature-map size: [batch, channels]. */
    public static String globalAvgPool(GraphBuilder graph, String name, String input) {
        graph.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), input);
        return name;
    }

    /** Krizhevsky et al.'s local response normalisation across channels, with their k=2, n=5, alpha=1e-4, beta=0.75. */
    public static String localResponseNorm(GraphBuilder graph, String name, String input) {
        graph.addLayer(name, new LocalResponseNormalization.Builder()
                .k(2).n(5).alpha(1e-4).beta(0.75)
                .build(), input);
        return name;
    }

    /** Fully connected layer with bias and ReLU (nIn inferred, so feature maps are flattened automatically). */
    public static String denseRelu(GraphBuilder graph, String name, String input, int units) {
        graph.addLayer(name, new DenseLayer.Builder()
                .nOut(units)
                .activation(Activation.RELU)
                .build(), input);
        return name;
    }

    /** Dropout zeroing each activation with probability {@code dropProbability} during training. */
    public static String dropout(GraphBuilder graph, String name, String input, double dropProbability) {
        // DL4J's argument is the probability of keeping an activation.
        graph.addLayer(name, new DropoutLayer(1.0 - dropProbability), input);
        return name;
    }
}
