package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * The residual units of He et al., "Deep Residual Learning for Image Recognition" (2015), post-activation:
 * {@code relu(F(x) + shortcut(x))}, where the residual branch F ends in conv + BN without ReLU.
 * <ul>
 *   <li>basic: 3x3 conv-BN-ReLU, 3x3 conv-BN (ResNet-18/34 and the CIFAR nets);</li>
 *   <li>bottleneck: 1x1 conv-BN-ReLU, 3x3 conv-BN-ReLU, 1x1 conv-BN to {@value #BOTTLENECK_EXPANSION}x the width,
 *       with the stride on the 3x3 as in torchvision ("ResNet v1.5"; the paper strides the first 1x1).</li>
 * </ul>
 * Vertices of a unit called {@code name}: {@code name_conv1..3} (+ {@code _bn}, {@code _relu}), {@code name_shortcut...},
 * {@code name_add}, and the output {@code name} (the final ReLU).
 */
public final class ResidualUnits {

    /** A bottleneck unit's output has this many times the channels of its 3x3 convolution. */
    public static final int BOTTLENECK_EXPANSION = 4;

    /** How the unit's input reaches its output (He et al. 2015, §3.3 and §4.1). */
    public enum Shortcut {
        /**
         * Option A, parameter-free: identity, or when the shape changes, stride-s subsampling and zero channels
         * appended to reach the new width.
         */
        ZERO_PADDING,
        /** Option B: identity, or when the shape changes, a 1x1 convolution (stride s) + BN projection. */
        PROJECTION,
        /** No shortcut at all: the unit is two (or three) plain layers, for the plain-net baselines. */
        NONE
    }

    private ResidualUnits() {
    }

    /** Basic unit with {@code width} output channels; {@code inChannels} decides whether the shortcut must reshape. */
    public static String basic(GraphBuilder graph, String name, String input, int inChannels, int width, int stride,
                               Shortcut shortcut) {
        String x = ConvBlocks.convBnRelu(graph, name + "_conv1", input, width, 3, stride, 1);
        String branch = ConvBlocks.convBn(graph, name + "_conv2", x, width, 3, 1, 1);
        return join(graph, name, input, branch, inChannels, width, stride, shortcut);
    }

    /** Bottleneck unit with a 3x3 convolution of {@code width} channels and {@code width * 4} output channels. */
    public static String bottleneck(GraphBuilder graph, String name, String input, int inChannels, int width,
                                    int stride, Shortcut shortcut) {
        int outChannels = width * BOTTLENECK_EXPANSION;
        String x = ConvBlocks.convBnRelu(graph, name + "_conv1", input, width, 1, 1, 0);
        x = ConvBlocks.convBnRelu(graph, name + "_conv2", x, width, 3, stride, 1);
        String branch = ConvBlocks.convBn(graph, name + "_conv3", x, outChannels, 1, 1, 0);
        return join(graph, name, input, branch, inChannels, outChannels, stride, shortcut);
    }

    /** Adds the shortcut to the branch (unless there is none) and applies the final ReLU, named {@code name}. */
    private static String join(GraphBuilder graph, String name, String input, String branch, int inChannels,
                               int outChannels, int stride, Shortcut shortcut) {
        if (shortcut == Shortcut.NONE) {
            return ConvBlocks.relu(graph, name, branch);
        }
        String identity = shortcut(graph, name + "_shortcut", input, inChannels, outChannels, stride, shortcut);
        graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, identity);
        return ConvBlocks.relu(graph, name, name + "_add");
    }

    private static String shortcut(GraphBuilder graph, String name, String input, int inChannels, int outChannels,
                                   int stride, Shortcut shortcut) {
        if (stride == 1 && inChannels == outChannels) {
            return input;
        }
        if (shortcut == Shortcut.PROJECTION) {
            return ConvBlocks.convBn(graph, name, input, outChannels, 1, stride, 0);
        }
        return zeroPadded(graph, name, input, inChannels, outChannels, stride);
    }

    /**
     * Option A: keep every {@code stride}-th position (a 1x1 pooling window) and append all-zero channels, made by
     * scaling copies of the input by 0 and concatenating them, so no parameters are added. The zeros are appended
     * after the kept channels; which positions hold them makes no difference to what the network can learn.
     */
    private static String zeroPadded(GraphBuilder graph, String name, String input, int inChannels, int outChannels,
                                     int stride) {
        int extra = outChannels - inChannels;
        if (extra < 0 || extra % inChannels != 0) {
            throw new IllegalArgumentException(name + ": zero-padding shortcut needs output channels a multiple of"
                    + " the input's, got " + inChannels + " -> " + outChannels);
        }
        String kept = input;
        if (stride > 1) {
            kept = name + "_subsample";
            graph.addLayer(kept, new SubsamplingLayer.Builder(PoolingType.MAX)
                    .kernelSize(1, 1)
                    .stride(stride, stride)
                    .build(), input);
        }
        if (extra == 0) {
            return kept;
        }
        String[] parts = new String[1 + extra / inChannels];
        parts[0] = kept;
        for (int i = 1; i < parts.length; i++) {
            parts[i] = name + "_zeros" + i;
            graph.addVertex(parts[i], new ScaleVertex(0.0), kept);
        }
        graph.addVertex(name, new MergeVertex(), parts);
        return name;
    }
}
