package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.blocks.ConvBlocks;
import org.zoobench.zoo.blocks.Graphs;
import org.zoobench.zoo.blocks.Layers;
import org.zoobench.zoo.blocks.ResidualUnits;
import org.zoobench.zoo.blocks.ResidualUnits.Shortcut;

import java.util.List;
import java.util.Map;

/**
 * ResNet (He, Zhang, Ren and Sun, "Deep Residual Learning for Image Recognition", 2015) and its plain twins:
 * a stem, stages of residual units (the first unit of every stage after the first halves the feature map),
 * global average pooling and a softmax classifier. Two families, as in the paper:
 * <ul>
 *   <li>ImageNet (Table 1, torchvision layout): 7x7/2 conv + 3x3/2 max pool stem, four stages at widths
 *       64-128-256-512, projection shortcuts (option B) where the shape changes;</li>
 *   <li>CIFAR-10 (§4.2): a 3x3 conv stem of 16 channels, three stages of n basic units at 16-32-64 channels
 *       (depth 6n + 2), parameter-free shortcuts (option A).</li>
 * </ul>
 * The shortcut option is a field, so option B CIFAR nets and plain nets (no shortcut) are the same stacks.
 */
public record ResNet(String title, Stem stem, Unit unit, List<Integer> unitsPerStage, List<Integer> widths,
                     Shortcut shortcut) {

    public enum Stem { IMAGENET, CIFAR }

    public enum Unit {
        BASIC(1), BOTTLENECK(ResidualUnits.BOTTLENECK_EXPANSION);

        private final int expansion;

        Unit(int expansion) {
            this.expansion = expansion;
        }
    }

    private record Layout(Unit unit, List<Integer> unitsPerStage) {
    }

    /** He et al. 2015, Table 1: units per stage (conv2_x .. conv5_x) of each ImageNet depth. */
    private static final Map<Integer, Layout> IMAGENET_DEPTHS = Map.of(
            18, new Layout(Unit.BASIC, List.of(2, 2, 2, 2)),
            34, new Layout(Unit.BASIC, List.of(3, 4, 6, 3)),
            50, new Layout(Unit.BOTTLENECK, List.of(3, 4, 6, 3)),
            101, new Layout(Unit.BOTTLENECK, List.of(3, 4, 23, 3)),
            152, new Layout(Unit.BOTTLENECK, List.of(3, 8, 36, 3)));
    private static final List<Integer> IMAGENET_WIDTHS = List.of(64, 128, 256, 512);
    private static final int IMAGENET_STEM_KERNEL = 7;

    /** He et al. 2015, §4.2: 6n + 2 layers, n units per stage, at 16, 32 and 64 channels. */
    private static final List<Integer> CIFAR_WIDTHS = List.of(16, 32, 64);
    private static final int CIFAR_LAYERS_PER_DEPTH_STEP = 6;

    public ResNet {
        if (unitsPerStage.size() != widths.size()) {
            throw new IllegalArgumentException("one width per stage: " + unitsPerStage + " vs " + widths);
        }
        unitsPerStage = List.copyOf(unitsPerStage);
        widths = List.copyOf(widths);
    }

    /** ImageNet ResNet-18/34/50/101/152 with projection shortcuts on the stage transitions. */
    public static ResNet imageNet(int depth) {
        Layout layout = IMAGENET_DEPTHS.get(depth);
        if (layout == null) {
            throw new IllegalArgumentException("ImageNet ResNet depths are " + IMAGENET_DEPTHS.keySet()
                    + ", not " + depth);
        }
        return new ResNet("ResNet-" + depth, Stem.IMAGENET, layout.unit(), layout.unitsPerStage(), IMAGENET_WIDTHS,
                Shortcut.PROJECTION);
    }

    /** CIFAR ResNet of depth 6n + 2 (20, 32, 44, 56, 110, ...) with parameter-free shortcuts. */
    public static ResNet cifar(int depth) {
        if (depth < 8 || (depth - 2) % CIFAR_LAYERS_PER_DEPTH_STEP != 0) {
            throw new IllegalArgumentException("CIFAR ResNet depth must be 6n + 2 with n >= 1, not " + depth);
        }
        int n = (depth - 2) / CIFAR_LAYERS_PER_DEPTH_STEP;
        return new ResNet("ResNet-" + depth, Stem.CIFAR, Unit.BASIC, List.of(n, n, n), CIFAR_WIDTHS,
                Shortcut.ZERO_PADDING);
    }

    public ResNet withShortcut(Shortcut s) {
        return new ResNet(title, stem, unit, unitsPerStage, widths, s);
    }

    /** The same stack without shortcuts. */
    public ResNet plain() {
        return withShortcut(Shortcut.NONE);
    }

    public ComputationGraphConfiguration configuration(ModelOptions options) {
        GraphBuilder graph = Graphs.start(options);
        int channels = widths.get(0);
        String x = switch (stem) {
            case IMAGENET -> Layers.maxPool(graph, "pool1",
                    ConvBlocks.convBnRelu(graph, "conv1", Graphs.INPUT, channels, IMAGENET_STEM_KERNEL, 2, 3), 3, 2, 1);
            case CIFAR -> ConvBlocks.convBnRelu(graph, "conv1", Graphs.INPUT, channels, 3, 1, 1);
        };
        for (int stage = 0; stage < widths.size(); stage++) {
            int width = widths.get(stage);
            for (int u = 0; u < unitsPerStage.get(stage); u++) {
                String name = "stage" + (stage + 1) + "_unit" + (u + 1);
                int stride = stage > 0 && u == 0 ? 2 : 1;
                x = switch (unit) {
                    case BASIC -> ResidualUnits.basic(graph, name, x, channels, width, stride, shortcut);
                    case BOTTLENECK -> ResidualUnits.bottleneck(graph, name, x, channels, width, stride, shortcut);
                };
                channels = width * unit.expansion;
            }
        }
        x = Layers.globalAvgPool(graph, "avgpool", x);
        return Graphs.classifier(graph, x, options.numClasses()).build();
    }

    /** E.g. "ResNet-56 (He 2015, CIFAR): 3x9 basic units, 16-32-64 channels, zero-padding shortcuts (option A)". */
    public String describe() {
        String name = shortcut == Shortcut.NONE ? title.replace("ResNet", "Plain") : title;
        String family = stem == Stem.CIFAR ? "He 2015, CIFAR" : unit == Unit.BOTTLENECK
                ? "He 2015, torchvision v1.5: stride on the 3x3" : "He 2015, torchvision";
        String units = unitsPerStage.stream().map(String::valueOf).reduce((a, b) -> a + "-" + b).orElseThrow();
        String channels = widths.stream().map(w -> String.valueOf(w * unit.expansion))
                .reduce((a, b) -> a + "-" + b).orElseThrow();
        String shortcuts = switch (shortcut) {
            case ZERO_PADDING -> "zero-padding shortcuts (option A)";
            case PROJECTION -> "projection shortcuts (option B)";
            case NONE -> "no shortcuts";
        };
        return name + " (" + family + "): " + units + " " + unit.name().toLowerCase() + " units, " + channels
                + " channels, " + shortcuts;
    }
}
