package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;

import java.util.ArrayList;
import java.util.List;

/**
 * The blocks of DenseNet-BC (Huang, Liu, van der Maaten and Weinberger, "Densely Connected Convolutional
 * Networks", 2017), pre-activation throughout (BN-ReLU-conv):
 * <ul>
 *   <li>dense layer: BN-ReLU-1x1 conv to {@value #BOTTLENECK_WIDTH}k maps, BN-ReLU-3x3 conv to k maps (k = growth);</li>
 *   <li>dense block: layer l reads the concatenation [x0, x1, ..., x(l-1)] of the block input and every earlier
 *       layer's output; the block outputs the concatenation of all of them, in + layers * k channels;</li>
 *   <li>transition: BN-ReLU-1x1 conv (compressing the channels), 2x2 average pooling with stride 2.</li>
 * </ul>
 * Concatenation copies: activation memory grows quadratically with the layers in a block (the paper's
 * memory caveat), which the model profile's activation column shows.
 */
public final class DenseBlocks {

    /** The 1x1 bottleneck of a dense layer produces this many times the growth rate. */
    public static final int BOTTLENECK_WIDTH = 4;

    private DenseBlocks() {
    }

    /**
     * A dense block of {@code layers} layers; vertices {@code name_layer<l>_conv1/conv2} (+ {@code _bn}, {@code _relu}),
     * the concatenations {@code name_concat<l>} each layer reads, and the block output {@code name}.
     */
    public static String block(GraphBuilder graph, String name, String input, int layers, int growth) {
        List<String> features = new ArrayList<>(List.of(input));
        for (int l = 1; l <= layers; l++) {
            String layerInput = l == 1 ? input : concat(graph, name + "_concat" + l, features);
            features.add(layer(graph, name + "_layer" + l, layerInput, growth));
        }
        graph.addVertex(name, new MergeVertex(), features.toArray(String[]::new));
        return name;
    }

    /** One dense layer, adding {@code growth} new feature maps at the input's size. */
    public static String layer(GraphBuilder graph, String name, String input, int growth) {
        String x = ConvBlocks.bnReluConv(graph, name + "_conv1", input, BOTTLENECK_WIDTH * growth, 1, 1, 0);
        return ConvBlocks.bnReluConv(graph, name + "_conv2", x, growth, 3, 1, 1);
    }

    /** Transition between dense blocks: to {@code outChannels} maps, then half the height and width. */
    public static String transition(GraphBuilder graph, String name, String input, int outChannels) {
        String x = ConvBlocks.bnReluConv(graph, name + "_conv", input, outChannels, 1, 1, 0);
        return Layers.avgPool(graph, name + "_pool", x, 2, 2);
    }

    private static String concat(GraphBuilder graph, String name, List<String> inputs) {
        graph.addVertex(name, new MergeVertex(), inputs.toArray(String[]::new));
        return name;
    }
}
