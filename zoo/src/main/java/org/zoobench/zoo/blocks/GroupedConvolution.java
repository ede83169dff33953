package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;

/**
 * Grouped convolution built from graph vertices, as in AlexNet's two-GPU layers: the input channels are split
 * into equal groups ({@link ChannelSubsetVertex}), each group is convolved on its own (every filter sees only its
 * group's channels) and the outputs are concatenated along channels ({@link MergeVertex}). DL4J's
 * ConvolutionLayer has no groups option, hence the vertices.
 */
public final class GroupedConvolution {

    private GroupedConvolution() {
    }

    /**
     * Adds a {@code groups}-way grouped convolution + ReLU with {@code outChannels} filters in total.
     * {@code inChannels} must be given because a channel split needs the channel indices. With one group this is a
     * plain {@link ConvBlocks#convRelu}. Vertices: {@code name_in<g>} (split), {@code name_g<g>} (conv), {@code name}.
     */
    public static String convRelu(GraphBuilder graph, String name, String input, int inChannels, int groups,
                                  int outChannels, int kernel, int stride, int padding) {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(name + ": " + groups + " groups must divide both " + inChannels
                    + " input and " + outChannels + " output channels");
        }
        if (groups == 1) {
            return ConvBlocks.convRelu(graph, name, input, outChannels, kernel, stride, padding);
        }
        int inPerGroup = inChannels / groups;
        String[] groupOutputs = new String[groups];
        for (int g = 0; g < groups; g++) {
            String split = name + "_in" + g;
            graph.addVertex(split, new ChannelSubsetVertex(g * inPerGroup, (g + 1) * inPerGroup - 1), input);
            groupOutputs[g] = ConvBlocks.convRelu(graph, name + "_g" + g, split, outChannels / groups,
                    kernel, stride, padding);
        }
        graph.addVertex(name, new MergeVertex(), groupOutputs);
        return name;
    }
}
