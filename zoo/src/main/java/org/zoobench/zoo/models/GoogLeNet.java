package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.blocks.ConvBlocks;
import org.zoobench.zoo.blocks.Graphs;
import org.zoobench.zoo.blocks.Inception;
import org.zoobench.zoo.blocks.Layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * GoogLeNet (Szegedy et al. 2014, "Going deeper with convolutions"), built from Table 1: a convolutional stem, nine
 * inception modules in three stages separated by 3x3/2 max pooling, global average pooling, 40% dropout and a
 * linear softmax layer. 6,998,552 parameters at 224x224 / 1000 classes (real 5x5 convolutions, biases,
 * local response normalisation in the stem as in Figure 3).
 * <p>
 * Options: {@code batchNorm} puts BatchNorm after every convolution, drops the conv biases and the LRN layers
 * (7,005,832 parameters); {@code auxiliaryClassifiers} adds the paper's two training-time heads after 4a and 4d,
 * named {@code aux1} and {@code aux2}, whose losses count 0.3 each; the graph then has three outputs, the main one
 * first. The global average pooling lets any input through (down to 1x1 after the fifth stride-2 step); the
 * auxiliary heads need at least 5x5 at stage 4 (inputs from about 80x80).
 * <p>
 * {@link #torchvision()} is torchvision's GoogLeNet, the net its ImageNet weights fit (6,624,904 parameters):
 * BatchNorm with epsilon 0.001 after every convolution, a 3x3 convolution where the paper's third branch has
 * 5x5, 2x2 max pooling before stage 5, dropout 0.2.
 */
public record GoogLeNet(boolean batchNorm, boolean auxiliaryClassifiers, boolean torchvisionLayout) {

    /** One inception row of Table 1. */
    private record Module(String name, Inception.Filters filters) {
    }

    private static Module row(String name, int n1x1, int reduce3x3, int n3x3, int reduce5x5, int n5x5, int poolProj) {
        return new Module(name, new Inception.Filters(n1x1, reduce3x3, n3x3, reduce5x5, n5x5, poolProj));
    }

    /** Table 1: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj. A 3x3/2 max pool precedes each stage. */
    private static final List<List<Module>> STAGES = List.of(
            List.of(row("inception_3a",  64,  96, 128, 16,  32,  32),
                    row("inception_3b", 128, 128, 192, 32,  96,  64)),
            List.of(row("inception_4a", 192,  96, 208, 16,  48,  64),
                    row("inception_4b", 160, 112, 224, 24,  64,  64),
                    row("inception_4c", 128, 128, 256, 24,  64,  64),
                    row("inception_4d", 112, 144, 288, 32,  64,  64),
                    row("inception_4e", 256, 160, 320, 32, 128, 128)),
            List.of(row("inception_5a", 256, 160, 320, 32, 128, 128),
                    row("inception_5b", 384, 192, 384, 48, 128, 128)));

    private static final int CONV1_FILTERS = 64;
    private static final int CONV2_REDUCE_FILTERS = 64;
    private static final int CONV2_FILTERS = 192;
    private static final int POOL_KERNEL = 3;
    private static final int POOL_STRIDE = 2;
    private static final double DROPOUT = 0.4;
    private static final int PAPER_THIRD_KERNEL = 5;

    private static final int TORCHVISION_THIRD_KERNEL = 3;
    private static final int TORCHVISION_LAST_POOL_KERNEL = 2;
    private static final double TORCHVISION_DROPOUT = 0.2;
    private static final double TORCHVISION_BATCH_NORM_EPSILON = 1e-3;

    /** Section 5: the auxiliary heads sit on 4a and 4d. */
    private static final Set<String> AUXILIARY_AFTER = Set.of("inception_4a", "inception_4d");
    private static final int AUX_POOL_KERNEL = 5;
    private static final int AUX_POOL_STRIDE = 3;
    private static final int AUX_CONV_FILTERS = 128;
    private static final int AUX_FC_UNITS = 1024;
    private static final double AUX_DROPOUT = 0.7;
    private static final double AUX_LOSS_WEIGHT = 0.3;

    /** The paper's network: biases, LRN, no auxiliary heads. */
    public static GoogLeNet original() {
        return new GoogLeNet(false, false, false);
    }

    public static GoogLeNet withBatchNorm() {
        return new GoogLeNet(true, false, false);
    }

    /** torchvision's {@code googlenet(aux_logits=False)}. */
    public static GoogLeNet torchvision() {
        return new GoogLeNet(true, false, true);
    }

    public GoogLeNet withAuxiliaryClassifiers() {
        return new GoogLeNet(batchNorm, true, torchvisionLayout);
    }

    public ComputationGraphConfiguration configuration(ModelOptions options) {
        GraphBuilder graph = Graphs.start(options);
        String x = conv(graph, "conv1", Graphs.INPUT, CONV1_FILTERS, 7, 2, 3);
        x = Layers.maxPoolSame(graph, "pool1", x, POOL_KERNEL, POOL_STRIDE);
        x = responseNorm(graph, "pool1_lrn", x);
        x = conv(graph, "conv2_reduce", x, CONV2_REDUCE_FILTERS, 1, 1, 0);
        x = conv(graph, "conv2", x, CONV2_FILTERS, 3, 1, 1);
        x = responseNorm(graph, "conv2_lrn", x);

        List<String> auxiliaryOutputs = new ArrayList<>();
        for (int stage = 0; stage < STAGES.size(); stage++) {
            boolean last = stage == STAGES.size() - 1;
            x = Layers.maxPoolSame(graph, "pool" + (stage + 2), x,
                    torchvisionLayout && last ? TORCHVISION_LAST_POOL_KERNEL : POOL_KERNEL, POOL_STRIDE);
            for (Module module : STAGES.get(stage)) {
                x = Inception.module(graph, module.name(), x, module.filters(), batchNorm,
                        torchvisionLayout ? TORCHVISION_THIRD_KERNEL : PAPER_THIRD_KERNEL);
                if (auxiliaryClassifiers && AUXILIARY_AFTER.contains(module.name())) {
                    auxiliaryOutputs.add(auxiliaryClassifier(graph, "aux" + (auxiliaryOutputs.size() + 1), x,
                            options.numClasses()));
                }
            }
        }
        x = Layers.globalAvgPool(graph, "avg_pool", x);
        x = Layers.dropout(graph, "dropout", x, torchvisionLayout ? TORCHVISION_DROPOUT : DROPOUT);
        Graphs.classifier(graph, x, options.numClasses());
        if (torchvisionLayout) {
            useTorchvisionEpsilon(graph);
        }

        List<String> outputs = new ArrayList<>(List.of(Graphs.OUTPUT));
        outputs.addAll(auxiliaryOutputs);
        return graph.setOutputs(outputs.toArray(String[]::new)).build();
    }

    /** torchvision's BasicConv2d normalises with epsilon 0.001, not BatchNorm's usual 1e-5. */
    private static void useTorchvisionEpsilon(GraphBuilder graph) {
        for (GraphVertex vertex : graph.getVertices().values()) {
            if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof BatchNormalization bn) {
                bn.setEps(TORCHVISION_BATCH_NORM_EPSILON);
            }
        }
    }

    private String conv(GraphBuilder graph, String name, String input, int filters, int kernel, int stride,
                        int padding) {
        return batchNorm
                ? ConvBlocks.convBnRelu(graph, name, input, filters, kernel, stride, padding)
                : ConvBlocks.convRelu(graph, name, input, filters, kernel, stride, padding);
    }

    /** The paper's stem normalises responses; the BatchNorm variant does not need to. */
    private String responseNorm(GraphBuilder graph, String name, String input) {
        return batchNorm ? input : Layers.localResponseNorm(graph, name, input);
    }

    /**
     * Section 5: 5x5/3 average pooling, 1x1 convolution with 128 filters, fully connected 1024 + ReLU, 70% dropout,
     * softmax whose cross-entropy is weighted 0.3 in the total loss (a per-class weight of 0.3 on every class).
     */
    private String auxiliaryClassifier(GraphBuilder graph, String name, String input, int numClasses) {
        String x = Layers.avgPool(graph, name + "_pool", input, AUX_POOL_KERNEL, AUX_POOL_STRIDE);
        x = conv(graph, name + "_conv", x, AUX_CONV_FILTERS, 1, 1, 0);
        x = Layers.denseRelu(graph, name + "_fc", x, AUX_FC_UNITS);
        x = Layers.dropout(graph, name + "_dropout", x, AUX_DROPOUT);
        graph.addLayer(name, new OutputLayer.Builder(new LossMCXENT(Nd4j.valueArrayOf(new long[]{1, numClasses},
                        AUX_LOSS_WEIGHT)))
                .nOut(numClasses)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build(), x);
        return name;
    }

    public String describe() {
        if (torchvisionLayout) {
            return "GoogLeNet as torchvision builds it: BatchNorm (eps 0.001), 3x3 in the third branch, no auxiliary heads";
        }
        return "GoogLeNet (Szegedy 2014, Table 1)" + (batchNorm ? " with BatchNorm after every conv" : "")
                + (auxiliaryClassifiers ? ", auxiliary classifiers" : "");
    }
}
