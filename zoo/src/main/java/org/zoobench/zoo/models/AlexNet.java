package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.blocks.Graphs;
import org.zoobench.zoo.blocks.GroupedConvolution;
import org.zoobench.zoo.blocks.Layers;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * AlexNet (Krizhevsky, Sutskever and Hinton 2012): five convolutions, three fully connected layers, ReLU,
 * overlapping 3x3/2 max pooling, dropout 0.5 on fc6 and fc7. One builder, with as options:
 * <ul>
 *   <li>the layout: {@link Layout#SINGLE_TOWER} (torchvision: 64-192-384-256-256, no LRN, 61,100,840 params)
 *       or {@link Layout#TWO_GROUPS} (the paper's two-GPU net: 96-256-384-384-256, conv2/4/5 see only their own
 *       GPU's half of the channels, LRN after conv1 and conv2, 60,965,224 params);</li>
 *   <li>removed layers, for Zeiler and Fergus' (2013) ablation: any of conv3, conv4, fc6, fc7;</li>
 *   <li>the width of fc6 and fc7 (4096 in the paper; 2048 and 8192 in the ablation);</li>
 *   <li>{@link #mini()}: a 3x3 stride-1 conv1 for 28x28 / 32x32 images and every width divided by 4, keeping the
 *       5 conv + 3 fc topology, for training on small data sets on a CPU.</li>
 * </ul>
 * fc6 reads whatever conv5 produces (nIn inferred), so any input that survives the three poolings works.
 */
public record AlexNet(Layout layout, Set<String> removed, int fcWidth, boolean isMini) {

    public enum Layout { SINGLE_TOWER, TWO_GROUPS }

    /** One convolution row of the paper's architecture. */
    private record Conv(String name, int singleTowerFilters, int twoGroupFilters, int kernel, int stride,
                        int padding, boolean grouped, boolean responseNorm, boolean poolAfter) {

        int filters(Layout layout) {
            return layout == Layout.TWO_GROUPS ? twoGroupFilters : singleTowerFilters;
        }
    }

    private static final List<Conv> CONVOLUTIONS = List.of(
            //       name   single two-group kernel stride pad grouped  LRN   pool after
            new Conv("conv1",  64,     96,     11,    4,    2, false,   true,  true),
            new Conv("conv2", 192,    256,      5,    1,    2, true,    true,  true),
            new Conv("conv3", 384,    384,      3,    1,    1, false,   false, false),
            new Conv("conv4", 256,    384,      3,    1,    1, true,    false, false),
            new Conv("conv5", 256,    256,      3,    1,    1, true,    false, true));
    private static final List<String> HIDDEN_FULLY_CONNECTED = List.of("fc6", "fc7");
    private static final int PAPER_FC_WIDTH = 4096;
    private static final int GROUPS = 2;
    private static final int POOL_KERNEL = 3;
    private static final int POOL_STRIDE = 2;
    private static final double DROPOUT = 0.5;

    /** The mini stem: conv1 at 3x3 stride 1 (padding 1) keeps a 28x28 map at 28x28 before the first pooling. */
    private static final int MINI_CONV1_KERNEL = 3;
    private static final int MINI_WIDTH_DIVISOR = 4;

    private static final Set<String> REMOVABLE = Set.of("conv3", "conv4", "fc6", "fc7");

    /** The registered names: "alexnet" + a variant's suffix, and the mini nets' "alexnet-mini" + the same suffix. */
    public static final String FAMILY = "alexnet";
    public static final String MINI_FAMILY = "alexnet-mini";
    /** The paper's two-group net is registered beside the single tower as FAMILY + this suffix. */
    public static final String TWO_GROUPS_SUFFIX = "-grouped";

    /**
     * One row of Zeiler and Fergus (2013) Table 3: the registry suffix, what was changed, the paper's errors (%:
     * top-1 train, top-1 validation, top-5 validation; docs/reference-facts.md, section 2) and the net.
     */
    public record Ablation(String suffix, String label, double paperTrainTop1Error, double paperTop1Error,
                           double paperTop5Error, AlexNet net) {
    }

    /** Table 3's variants in the order the ablation suite reports them; the first is the full network. */
    public static final List<Ablation> ABLATIONS = List.of(
            //           suffix, label                                  paper: train, val, val top-5
            new Ablation("", "full network",                                  35.1, 40.5, 18.1,
                    singleTower()),
            new Ablation("-no-fc7", "remove fc7",                             27.4, 40.0, 18.4,
                    singleTower().without("fc7")),
            new Ablation("-no-fc6-fc7", "remove fc6, fc7",                    27.4, 44.8, 22.4,
                    singleTower().without("fc6", "fc7")),
            new Ablation("-no-conv3-conv4", "remove conv3, conv4",            41.8, 45.4, 22.1,
                    singleTower().without("conv3", "conv4")),
            new Ablation("-no-conv3-conv4-fc6-fc7", "remove conv3, conv4, fc6, fc7", 71.1, 71.3, 50.1,
                    singleTower().without("conv3", "conv4", "fc6", "fc7")),
            new Ablation("-fc8192", "fc6, fc7 widened to 8192",               26.8, 40.0, 18.1,
                    singleTower().withFcWidth(8192)),
            new Ablation("-fc2048", "fc6, fc7 narrowed to 2048",              40.3, 41.7, 18.8,
                    singleTower().withFcWidth(2048)));

    public AlexNet {
        removed = Set.copyOf(removed);
        if (!REMOVABLE.containsAll(removed)) {
            throw new IllegalArgumentException("AlexNet can drop only " + REMOVABLE + ", not " + removed);
        }
        if (fcWidth < 1) {
            throw new IllegalArgumentException("fc width must be positive, got " + fcWidth);
        }
    }

    /** torchvision's single-tower AlexNet. */
    public static AlexNet singleTower() {
        return new AlexNet(Layout.SINGLE_TOWER, Set.of(), PAPER_FC_WIDTH, false);
    }

    /** The paper's original two-group AlexNet with local response normalisation. */
    public static AlexNet twoGroups() {
        return new AlexNet(Layout.TWO_GROUPS, Set.of(), PAPER_FC_WIDTH, false);
    }

    /** The same network without the named layers (conv3, conv4, fc6, fc7); the next layer reads the previous one. */
    public AlexNet without(String... layers) {
        Set<String> all = new LinkedHashSet<>(removed);
        all.addAll(List.of(layers));
        return new AlexNet(layout, all, fcWidth, isMini);
    }

    /** fc6 and fc7 at {@code width} units (before the mini division). */
    public AlexNet withFcWidth(int width) {
        return new AlexNet(layout, removed, width, isMini);
    }

    /** Small-input stem and quarter widths. */
    public AlexNet mini() {
        return new AlexNet(layout, removed, fcWidth, true);
    }

    public ComputationGraphConfiguration configuration(ModelOptions options) {
        GraphBuilder graph = Graphs.start(options);
        int divisor = widthDivisor();
        String x = Graphs.INPUT;
        int channels = options.input().image().channels();
        for (Conv conv : CONVOLUTIONS) {
            if (removed.contains(conv.name())) {
                continue;
            }
            boolean miniStem = isMini && conv.name().equals("conv1");
            int filters = conv.filters(layout) / divisor;
            int groups = layout == Layout.TWO_GROUPS && conv.grouped() ? GROUPS : 1;
            x = GroupedConvolution.convRelu(graph, conv.name(), x, channels, groups, filters,
                    miniStem ? MINI_CONV1_KERNEL : conv.kernel(),
                    miniStem ? 1 : conv.stride(),
                    miniStem ? MINI_CONV1_KERNEL / 2 : conv.padding());
            channels = filters;
            if (layout == Layout.TWO_GROUPS && conv.responseNorm()) {
                x = Layers.localResponseNorm(graph, conv.name() + "_lrn", x);
            }
            if (conv.poolAfter()) {
                x = Layers.maxPool(graph, conv.name().replace("conv", "pool"), x, POOL_KERNEL, POOL_STRIDE);
            }
        }
        for (String fc : HIDDEN_FULLY_CONNECTED) {
            if (!removed.contains(fc)) {
                x = Layers.denseRelu(graph, fc, x, fcWidth / divisor);
                x = Layers.dropout(graph, fc + "_dropout", x, DROPOUT);
            }
        }
        return Graphs.classifier(graph, x, options.numClasses()).build();
    }

    private int widthDivisor() {
        return isMini ? MINI_WIDTH_DIVISOR : 1;
    }

    /** E.g. "AlexNet, single tower (torchvision), without fc7". */
    public String describe() {
        Stream<String> parts = Stream.of(
                layout == Layout.TWO_GROUPS ? "two-group (Krizhevsky 2012)" : "single tower (torchvision)",
                removed.isEmpty() ? null : "without " + removed.stream().sorted().collect(Collectors.joining(", ")),
                fcWidth == PAPER_FC_WIDTH ? null : "fc6/fc7 at " + fcWidth / widthDivisor(),
                isMini ? "mini: 3x3 stem, widths / " + MINI_WIDTH_DIVISOR : null);
        return "AlexNet, " + parts.filter(p -> p != null).collect(Collectors.joining(", "));
    }
}
