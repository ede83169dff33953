package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;

/**
 * The inception module of GoogLeNet (Szegedy et al. 2014, Figure 2b): four parallel branches over the same input,
 * concatenated along channels: a 1x1 convolution; a 1x1 reduction then a 3x3; a 1x1 reduction then a 5x5; and a
 * 3x3 stride-1 max pool then a 1x1 projection. The 1x1 reductions are there "to keep computational requirements
 * down". Every branch keeps the spatial size, so modules stack freely.
 */
public final class Inception {

    private static final int POOL_KERNEL = 3;
    private static final int PAPER_THIRD_KERNEL = 5;

    /** The six filter counts of one module, in the column order of the paper's Table 1. */
    public record Filters(int n1x1, int reduce3x3, int n3x3, int reduce5x5, int n5x5, int poolProjection) {

        /** Channels of the concatenated output. */
        public int outChannels() {
            return n1x1 + n3x3 + n5x5 + poolProjection;
        }
    }

    private Inception() {
    }

    /**
     * Adds a module named {@code name} (the concatenation) and returns that name. With {@code batchNorm}, every
     * convolution is conv (no bias) + BatchNorm + ReLU; otherwise conv with bias + ReLU as in the paper.
     */
    public static String module(GraphBuilder graph, String name, String input, Filters filters, boolean batchNorm) {
        return module(graph, name, input, filters, batchNorm, PAPER_THIRD_KERNEL);
    }

    /**
     * As {@link #module(GraphBuilder, String, String, Filters, boolean)} with a {@code thirdKernel}-square
     * convolution in the third branch. torchvision's GoogLeNet has a 3x3 there (its weights were trained that way);
     * that branch's layers are then named {@code name_3x3b_reduce} and {@code name_3x3b}.
     */
    public static String module(GraphBuilder graph, String name, String input, Filters filters, boolean batchNorm,
                                int thirdKernel) {
        String third = thirdKernel == PAPER_THIRD_KERNEL ? "_5x5" : "_" + thirdKernel + "x" + thirdKernel + "b";
        String branch1x1 = conv(graph, name + "_1x1", input, filters.n1x1(), 1, batchNorm);
        String reduce3x3 = conv(graph, name + "_3x3_reduce", input, filters.reduce3x3(), 1, batchNorm);
        String branch3x3 = conv(graph, name + "_3x3", reduce3x3, filters.n3x3(), 3, batchNorm);
        String reduce5x5 = conv(graph, name + third + "_reduce", input, filters.reduce5x5(), 1, batchNorm);
        String branch5x5 = conv(graph, name + third, reduce5x5, filters.n5x5(), thirdKernel, batchNorm);
        String pool = Layers.maxPoolSame(graph, name + "_pool", input, POOL_KERNEL, 1);
        String branchPool = conv(graph, name + "_pool_proj", pool, filters.poolProjection(), 1, batchNorm);
        graph.addVertex(name, new MergeVertex(), branch1x1, branch3x3, branch5x5, branchPool);
        return name;
    }

    /** A stride-1 square convolution that keeps the spatial size, + ReLU, with or without BatchNorm. */
    private static String conv(GraphBuilder graph, String name, String input, int filters, int kernel,
                               boolean batchNorm) {
        return batchNorm
                ? ConvBlocks.convBnRelu(graph, name, input, filters, kernel, 1, kernel / 2)
                : ConvBlocks.convRelu(graph, name, input, filters, kernel, 1, kernel / 2);
    }
}
