package org.zoobench.zoo;

import org.apache.commons.text.similarity.LevenshteinDistance;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.zoobench.zoo.blocks.ResidualUnits;
import org.zoobench.zoo.models.AlexNet;
import org.zoobench.zoo.models.DenseNet;
import org.zoobench.zoo.models.Dl4jZoo;
import org.zoobench.zoo.models.GoogLeNet;
import org.zoobench.zoo.models.LeNet5;
import org.zoobench.zoo.models.ResNet;
import org.zoobench.zoo.blocks.RecurrentBlocks.Cell;
import org.zoobench.zoo.blocks.RecurrentBlocks.Merge;
import org.zoobench.zoo.models.RecurrentClassifier;
import org.zoobench.zoo.models.RecurrentClassifier.Head;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place where model names live. Experiments, benchmarks and notebooks get every model through here.
 */
public final class ModelRegistry {

    private static final InputShape IMAGENET = InputShape.image(3, 224, 224);
    private static final InputShape CIFAR = InputShape.image(3, 32, 32);
    private static final InputShape MNIST = InputShape.image(1, 28, 28);

    private static final Map<String, ModelEntry> ENTRIES = new LinkedHashMap<>();

    static {
        // Families register here in the order `zoobench models` lists them.
        add("lenet5", "LeNet-5 (LeCun 1998), modern: full C3, ReLU, max pooling", MNIST, 10, LeNet5::configuration);
        addAlexNets();
        add("googlenet", GoogLeNet.original().describe(), IMAGENET, 1000, GoogLeNet.original()::configuration);
        add("googlenet-bn", GoogLeNet.withBatchNorm().describe(), IMAGENET, 1000,
                GoogLeNet.withBatchNorm()::configuration);
        addResNets();
        addDenseNets();
        addRecurrent();
        addDl4jZoo();
    }

    /** AlexNet and Zeiler & Fergus' layer-removal and width variants; each again as a mini net for 28x28 inputs. */
    private static void addAlexNets() {
        Map<String, AlexNet> variants = new LinkedHashMap<>();
        variants.put("", AlexNet.singleTower());
        variants.put("-grouped", AlexNet.twoGroups());
        variants.put("-no-fc7", AlexNet.singleTower().without("fc7"));
        variants.put("-no-fc6-fc7", AlexNet.singleTower().without("fc6", "fc7"));
        variants.put("-no-conv3-conv4", AlexNet.singleTower().without("conv3", "conv4"));
        variants.put("-no-conv3-conv4-fc6-fc7", AlexNet.singleTower().without("conv3", "conv4", "fc6", "fc7"));
        variants.put("-fc2048", AlexNet.singleTower().withFcWidth(2048));
        variants.put("-fc8192", AlexNet.singleTower().withFcWidth(8192));
        variants.forEach((suffix, net) -> add("alexnet" + suffix, net.describe(), IMAGENET, 1000, net::configuration));
        variants.forEach((suffix, net) -> add("alexnet-mini" + suffix, net.mini().describe(), MNIST, 10,
                net.mini()::configuration));
    }

    /** ResNets with their plain twins: ImageNet (projection shortcuts), CIFAR (option A, and option B as -b). */
    private static void addResNets() {
        for (int depth : new int[]{18, 34, 50, 101, 152}) {
            ResNet net = ResNet.imageNet(depth);
            add("resnet" + depth, net.describe(), IMAGENET, 1000, net::configuration);
            add("plain" + depth, net.plain().describe(), IMAGENET, 1000, net.plain()::configuration);
        }
        for (int depth : new int[]{20, 32, 44, 56, 110}) {
            ResNet net = ResNet.cifar(depth);
            ResNet projection = net.withShortcut(ResidualUnits.Shortcut.PROJECTION);
            add("resnet" + depth, net.describe(), CIFAR, 10, net::configuration);
            add("resnet" + depth + "-b", projection.describe(), CIFAR, 10, projection::configuration);
            add("plain" + depth, net.plain().describe(), CIFAR, 10, net.plain()::configuration);
        }
    }

    private static void addDenseNets() {
        for (int depth : new int[]{121, 169, 201, 161}) {
            DenseNet net = DenseNet.imageNet(depth);
            add("densenet" + depth, net.describe(), IMAGENET, 1000, net::configuration);
        }
        DenseNet bc = DenseNet.cifarBc(100, 12);
        add("densenet-bc-100", bc.describe(), CIFAR, 10, bc::configuration);
    }

    /** Recurrent models: each bidirectional entry is paired with its causal twin (same cell, depth, widths). */
    private static void addRecurrent() {
        // Fashion-MNIST rows: each 28x28 image read as 28 steps of 28 pixels.
        InputShape rows = InputShape.sequence(28, 28);
        addTwins("bilstm-max", "lstm-max", "2x64 LSTM, max over time (Fashion-MNIST rows)", rows, 10,
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 2, 64, 0.2, Head.MAX));
        addTwins("bilstm-mean", "lstm-mean", "2x64 LSTM, mean over time (Fashion-MNIST rows)", rows, 10,
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 2, 64, 0.2, Head.MEAN));
        addTwins("bilstm-last", "lstm-last", "2x64 LSTM, last step (Fashion-MNIST rows)", rows, 10,
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 2, 64, 0.2, Head.LAST));
        for (Merge merge : List.of(Merge.ADD, Merge.AVERAGE, Merge.MULTIPLY)) {
            String mode = merge.name().toLowerCase(Locale.ROOT);
            add("bilstm-max-" + mode, "bidirectional 2x64 LSTM, directions merged by " + mode
                            + ", max over time (Fashion-MNIST rows); causal twin: lstm-max", rows, 10,
                    RecurrentClassifier.bidirectional(Cell.LSTM, merge, 2, 64, 0.2, Head.MAX)::configuration);
        }
        addTwins("birnn-max", "rnn-max", "2x64 simple RNN, max over time (Fashion-MNIST rows)", rows, 10,
                RecurrentClassifier.bidirectional(Cell.SIMPLE_RNN, Merge.CONCAT, 2, 64, 0.2, Head.MAX));
        // Per-step labelling at the future-context task's default size: 4 symbols per step, 16 steps.
        InputShape symbols = InputShape.sequence(4, 16);
        addTwins("bilstm-tagger", "lstm-tagger", "1x32 LSTM, one label per step (future-context)", symbols, 4,
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 1, 32, 0, Head.PER_STEP));
        addTwins("birnn-tagger", "rnn-tagger", "1x32 simple RNN, one label per step (future-context)", symbols, 4,
                RecurrentClassifier.bidirectional(Cell.SIMPLE_RNN, Merge.CONCAT, 1, 32, 0, Head.PER_STEP));
    }

    /** DL4J's own zoo, side by side with ours so its deviations from the papers show in the numbers. */
    private static void addDl4jZoo() {
        add("dl4j-lenet", "DL4J zoo LeNet: Caffe variant (20/50 filters, 500-unit FC), not LeNet-5", MNIST, 10, Dl4jZoo::leNet);
        add("dl4j-simplecnn", "DL4J zoo SimpleCNN: 12 convs with BatchNorm, 48x48 input", InputShape.image(3, 48, 48), 10, Dl4jZoo::simpleCnn);
        add("dl4j-alexnet", "DL4J zoo AlexNet: single tower, LRN placed differently from the paper", IMAGENET, 1000, Dl4jZoo::alexNet);
        add("dl4j-vgg16", "DL4J zoo VGG-16 (configuration D, as published)", IMAGENET, 1000, Dl4jZoo::vgg16);
        add("dl4j-vgg19", "DL4J zoo VGG-19: one 4096-unit FC layer short of the paper (no fc7)", IMAGENET, 1000, Dl4jZoo::vgg19);
        add("dl4j-resnet50", "DL4J zoo ResNet-50: conv biases before BN, stage-2 downsampling, max-pool head; He init", IMAGENET, 1000, Dl4jZoo::resNet50);
        add("dl4j-squeezenet", "DL4J zoo SqueezeNet v1.1", InputShape.image(3, 227, 227), 1000, Dl4jZoo::squeezeNet);
        add("dl4j-darknet19", "DL4J zoo Darknet-19 (YOLO9000 backbone)", IMAGENET, 1000, Dl4jZoo::darknet19);
        add("dl4j-xception", "DL4J zoo Xception", InputShape.image(3, 299, 299), 1000, Dl4jZoo::xception);
        add("dl4j-textgenlstm", "DL4J zoo character LSTM: two 256-unit GravesLSTMs, next-character softmax", InputShape.sequence(47, 40), 47, Dl4jZoo::textGenerationLstm);
    }

    private ModelRegistry() {
    }

    private static void add(String name, String description, InputShape input, int classes,
                            Function<ModelOptions, ComputationGraphConfiguration> factory) {
        if (ENTRIES.put(name, new ModelEntry(name, description, input, classes, factory)) != null) {
            throw new IllegalStateException("model registered twice: " + name);
        }
    }

    /** A bidirectional recurrent model and, under {@code causalName}, its forward-only twin. */
    private static void addTwins(String name, String causalName, String description, InputShape input, int classes,
                                 RecurrentClassifier bidirectional) {
        add(name, "bidirectional " + description, input, classes, bidirectional::configuration);
        add(causalName, "causal " + description + "; twin of " + name, input, classes,
                bidirectional.unidirectional()::configuration);
    }

    public static List<ModelEntry> all() {
        return List.copyOf(ENTRIES.values());
    }

    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    /** The entry for {@code name} (case-insensitive), or a one-line error naming the closest registered names. */
    public static ModelEntry get(String name) {
        ModelEntry entry = ENTRIES.get(name.toLowerCase(Locale.ROOT));
        if (entry == null) {
            throw new UserInputException("unknown model '" + name + "'; closest registered names: "
                    + String.join(", ", closest(name, 3)) + " (see `zoobench models`)");
        }
        return entry;
    }

    /** Registered names matching a glob such as {@code resnet*} or an exact name. */
    public static List<ModelEntry> matching(String pattern) {
        if (!pattern.contains("*") && !pattern.contains("?")) {
            return List.of(get(pattern));
        }
        String regex = pattern.toLowerCase(Locale.ROOT).replace(".", "\\.").replace("*", ".*").replace("?", ".");
        List<ModelEntry> found = ENTRIES.values().stream().filter(e -> e.name().matches(regex)).toList();
        if (found.isEmpty()) {
            throw new UserInputException("no registered model matches '" + pattern + "' (see `zoobench models`)");
        }
        return found;
    }

    /** Names and globs to registered names, in the order given, each once; an unknown name fails in one line. */
    public static List<String> names(List<String> patterns) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String p : patterns) {
            matching(p).stream().map(ModelEntry::name).forEach(names::add);
        }
        return List.copyOf(names);
    }

    static List<String> closest(String name, int count) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String query = name.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>(ENTRIES.keySet());
        Collections.sort(names, Comparator.<String>comparingInt(n -> n.startsWith(query) || query.startsWith(n) ? 0 : 1)
                .thenComparingInt(n -> distance.apply(query, n)));
        return names.stream().limit(count).collect(Collectors.toList());
    }
}
