package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.blocks.ConvBlocks;
import org.zoobench.zoo.blocks.Graphs;
import org.zoobench.zoo.blocks.Layers;

/**
 * LeNet-5 (LeCun et al. 1998), modern variant: C3 connected to all six S2 maps (the paper wires each C3 map to a
 * subset), ReLU, max pooling, a plain softmax output instead of RBF units. C1 pads by 2, so a 28x28 digit gives
 * the paper's 32x32-input map sizes: 28 -> C1 28 -> S2 14 -> C3 10 -> S4 5 -> C5 120 -> F6 84 -> output.
 * 61,706 parameters at 1x28x28 and 10 classes. C5 is fully connected to S4 (nIn inferred), which at this input
 * is exactly the paper's 5x5 convolution over a 5x5 map.
 */
public final class LeNet5 {

    private static final int KERNEL = 5;
    private static final int C1_MAPS = 6;
    private static final int C1_PADDING = 2;
    private static final int C3_MAPS = 16;
    private static final int C5_UNITS = 120;
    private static final int F6_UNITS = 84;
    private static final int POOL = 2;

    private LeNet5() {
    }

    public static ComputationGraphConfiguration configuration(ModelOptions options) {
        GraphBuilder graph = Graphs.start(options);
        String x = ConvBlocks.convRelu(graph, "c1", Graphs.INPUT, C1_MAPS, KERNEL, 1, C1_PADDING);
        x = Layers.maxPool(graph, "s2", x, POOL, POOL);
        x = ConvBlocks.convRelu(graph, "c3", x, C3_MAPS, KERNEL, 1, 0);
        x = Layers.maxPool(graph, "s4", x, POOL, POOL);
        x = Layers.denseRelu(graph, "c5", x, C5_UNITS);
        x = Layers.denseRelu(graph, "f6", x, F6_UNITS);
        return Graphs.classifier(graph, x, options.numClasses()).build();
    }
}
