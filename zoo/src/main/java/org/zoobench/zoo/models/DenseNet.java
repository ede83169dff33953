package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.blocks.ConvBlocks;
import org.zoobench.zoo.blocks.DenseBlocks;
import org.zoobench.zoo.blocks.Graphs;
import org.zoobench.zoo.blocks.Layers;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * DenseNet-BC (Huang et al. 2017): a stem, dense blocks joined by compressing transitions, a final BN-ReLU,
 * global average pooling and a softmax classifier.
 * <ul>
 *   <li>ImageNet (Table 1, torchvision layout): 7x7/2 conv-BN-ReLU + 3x3/2 max pool stem of 2k maps (64; 96 for
 *       DenseNet-161), four blocks;</li>
 *   <li>CIFAR (§3, "DenseNet-BC" L=100, k=12): one 3x3 conv of 2k maps, three blocks of (L - 4) / 6 layers.</li>
 * </ul>
 * Every transition keeps {@code floor(compression * channels)} maps, with compression 0.5 in both families.
 */
public record DenseNet(String title, Stem stem, int growth, List<Integer> layersPerBlock, int stemChannels,
                       double compression) {

    public enum Stem { IMAGENET, CIFAR }

    private record Layout(int growth, List<Integer> layersPerBlock, int stemChannels) {
    }

    /** Huang et al. 2017, Table 1 (and torchvision's DenseNet-161): growth rate, layers per block, stem width. */
    private static final Map<Integer, Layout> IMAGENET_DEPTHS = Map.of(
            121, new Layout(32, List.of(6, 12, 24, 16), 64),
            169, new Layout(32, List.of(6, 12, 32, 32), 64),
            201, new Layout(32, List.of(6, 12, 48, 32), 64),
            161, new Layout(48, List.of(6, 12, 36, 24), 96));
    private static final double COMPRESSION = 0.5;
    private static final int CIFAR_BLOCKS = 3;
    /** Two convolutions per bottleneck layer: L = 3 blocks * 2n + stem conv + 2 transitions + classifier. */
    private static final int CIFAR_LAYERS_PER_DEPTH_STEP = 2 * CIFAR_BLOCKS;

    public DenseNet {
        layersPerBlock = List.copyOf(layersPerBlock);
        if (compression <= 0 || compression > 1) {
            throw new IllegalArgumentException("compression must be in (0, 1], got " + compression);
        }
    }

    /** DenseNet-121/169/201/161 for 224x224 ImageNet images. */
    public static DenseNet imageNet(int depth) {
        Layout layout = IMAGENET_DEPTHS.get(depth);
        if (layout == null) {
            throw new IllegalArgumentException("ImageNet DenseNet depths are " + IMAGENET_DEPTHS.keySet()
                    + ", not " + depth);
        }
        return new DenseNet("DenseNet-" + depth, Stem.IMAGENET, layout.growth(), layout.layersPerBlock(),
                layout.stemChannels(), COMPRESSION);
    }

    /** DenseNet-BC of depth L = 6n + 4 and growth rate k for 32x32 images (the paper's L=100, k=12 is 769,162). */
    public static DenseNet cifarBc(int depth, int growth) {
        if (depth < 10 || (depth - 4) % CIFAR_LAYERS_PER_DEPTH_STEP != 0) {
            throw new IllegalArgumentException("DenseNet-BC depth must be 6n + 4 with n >= 1, not " + depth);
        }
        int n = (depth - 4) / CIFAR_LAYERS_PER_DEPTH_STEP;
        return new DenseNet("DenseNet-BC-" + depth, Stem.CIFAR, growth,
                List.of(n, n, n), 2 * growth, COMPRESSION);
    }

    public ComputationGraphConfiguration configuration(ModelOptions options) {
        GraphBuilder graph = Graphs.start(options);
        String x = switch (stem) {
            case IMAGENET -> Layers.maxPool(graph, "pool0",
                    ConvBlocks.convBnRelu(graph, "conv0", Graphs.INPUT, stemChannels, 7, 2, 3), 3, 2, 1);
            case CIFAR -> ConvBlocks.conv(graph, "conv0", Graphs.INPUT, stemChannels, 3, 1, 1);
        };
        int channels = stemChannels;
        for (int b = 0; b < layersPerBlock.size(); b++) {
            x = DenseBlocks.block(graph, "dense" + (b + 1), x, layersPerBlock.get(b), growth);
            channels += layersPerBlock.get(b) * growth;
            if (b < layersPerBlock.size() - 1) {
                channels = (int) Math.floor(channels * compression);
                x = DenseBlocks.transition(graph, "transition" + (b + 1), x, channels);
            }
        }
        x = ConvBlocks.relu(graph, "norm5_relu", ConvBlocks.batchNorm(graph, "norm5", x));
        x = Layers.globalAvgPool(graph, "avgpool", x);
        return Graphs.classifier(graph, x, options.numClasses()).build();
    }

    /** E.g. "DenseNet-121 (Huang 2017, torchvision): k=32, blocks 6-12-24-16, 64-map stem, compression 0.5". */
    public String describe() {
        String blocks = layersPerBlock.stream().map(String::valueOf).collect(Collectors.joining("-"));
        String source = stem == Stem.IMAGENET ? "Huang 2017, torchvision" : "Huang 2017, CIFAR";
        return title + " (" + source + "): k=" + growth + ", blocks " + blocks + ", " + stemChannels
                + "-map stem, compression " + compression;
    }
}
