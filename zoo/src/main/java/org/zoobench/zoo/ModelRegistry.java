package org.zoobench.zoo;

import org.apache.commons.text.similarity.LevenshteinDistance;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.zoobench.UserInputException;
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
        add("googlenet-torchvision", GoogLeNet.torchvision().describe(), IMAGENET, 1000,
                GoogLeNet.torchvision()::configuration);
        addResNets();
        addDenseNets();
        addRecurrent();
        addDl4jZoo();
    }

    /**
     * AlexNet, the paper's two-group original and Zeiler & Fergus' variants ({@link AlexNet#ABLATIONS}); each again
     * as a mini net for 28x28 inputs.
     */
    private static void addAlexNets() {
        record Variant(String suffix, String label, AlexNet net) {
        }
        List<Variant> variants = new ArrayList<>();
        AlexNet.ABLATIONS.forEach(a -> variants.add(new Variant(a.suffix(), a.label(), a.net())));
        variants.add(1, new Variant(AlexNet.TWO_GROUPS_SUFFIX, "two groups", AlexNet.twoGroups()));
        // `zoobench models` lists the fc widths after the layer removals, narrowest first (Table 3 as reported
        // puts 8192 first).
        int paperWidth = AlexNet.singleTower().fcWidth();
        variants.sort(Comparator.comparingInt(v -> v.net().fcWidth() == paperWidth ? 0 : v.net().fcWidth()));
        for (Variant v : variants) {
            add(new ModelEntry(AlexNet.FAMILY + v.suffix(), v.net().describe(), IMAGENET, 1000,
                    v.net()::configuration, AlexNet.FAMILY, v.label(), null));
        }
        for (Variant v : variants) {
            AlexNet mini = v.net().mini();
            add(new ModelEntry(AlexNet.MINI_FAMILY + v.suffix(), mini.describe(), MNIST, 10, mini::configuration,
                    AlexNet.MINI_FAMILY, v.label(), null));
        }
    }

    /**
     * ResNets with their plain twins: ImageNet (projection shortcuts), CIFAR (option A, and option B as -b, whose
     * plain twin is option A's).
     */
    private static void addResNets() {
        for (int depth : new int[]{18, 34, 50, 101, 152}) {
            ResNet net = ResNet.imageNet(depth);
            add(resNet("resnet" + depth, net, IMAGENET, 1000, "plain" + depth));
            add(resNet("plain" + depth, net.plain(), IMAGENET, 1000, "resnet" + depth));
        }
        for (int depth : new int[]{20, 32, 44, 56, 110}) {
            ResNet net = ResNet.cifar(depth);
            add(resNet("resnet" + depth, net, CIFAR, 10, "plain" + depth));
            add(resNet("resnet" + depth + "-b", net.withShortcut(ResidualUnits.Shortcut.PROJECTION), CIFAR, 10,
                    "plain" + depth));
            add(resNet("plain" + depth, net.plain(), CIFAR, 10, "resnet" + depth));
        }
    }

    private static ModelEntry resNet(String name, ResNet net, InputShape input, int classes, String twin) {
        return new ModelEntry(name, net.describe(), input, classes, net::configuration, name, "", twin);
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
        String rowsData = " (Fashion-MNIST rows)";
        addTwins("bilstm-max", "lstm-max", RecurrentClassifier.classifier(Cell.LSTM, Merge.CONCAT, Head.MAX),
                rowsData, rows, 10);
        addTwins("bilstm-mean", "lstm-mean", RecurrentClassifier.classifier(Cell.LSTM, Merge.CONCAT, Head.MEAN),
                rowsData, rows, 10);
        addTwins("bilstm-last", "lstm-last", RecurrentClassifier.classifier(Cell.LSTM, Merge.CONCAT, Head.LAST),
                rowsData, rows, 10);
        for (Merge merge : List.of(Merge.ADD, Merge.AVERAGE, Merge.MULTIPLY)) {
            String name = "bilstm-max-" + merge.name().toLowerCase(Locale.ROOT);
            RecurrentClassifier net = RecurrentClassifier.classifier(Cell.LSTM, merge, Head.MAX);
            add(new ModelEntry(name, net.describe() + rowsData + "; causal twin: lstm-max", rows, 10,
                    net::configuration, name, "", "lstm-max"));
        }
        addTwins("birnn-max", "rnn-max", RecurrentClassifier.classifier(Cell.SIMPLE_RNN, Merge.CONCAT, Head.MAX),
                rowsData, rows, 10);
        // Per-step labelling at the future-context task's default size: 4 symbols per step, 16 steps.
        InputShape symbols = InputShape.sequence(4, 16);
        String symbolsData = " (future-context)";
        addTwins("bilstm-tagger", "lstm-tagger", RecurrentClassifier.tagger(Cell.LSTM), symbolsData, symbols, 4);
        addTwins("birnn-tagger", "rnn-tagger", RecurrentClassifier.tagger(Cell.SIMPLE_RNN), symbolsData, symbols, 4);
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
        add(new ModelEntry(name, description, input, classes, factory));
    }

    private static void add(ModelEntry entry) {
        if (ENTRIES.put(entry.name(), entry) != null) {
            throw new IllegalStateException("model registered twice: " + entry.name());
        }
    }

    /**
     * A bidirectional recurrent model and, under {@code causalName}, its forward-only twin; {@code data} names what
     * their default input is read from.
     */
    private static void addTwins(String name, String causalName, RecurrentClassifier bidirectional, String data,
                                 InputShape input, int classes) {
        RecurrentClassifier causal = bidirectional.unidirectional();
        add(new ModelEntry(name, bidirectional.describe() + data, input, classes, bidirectional::configuration, name,
                "", causalName));
        add(new ModelEntry(causalName, causal.describe() + data + "; twin of " + name, input, classes,
                causal::configuration, causalName, "", name));
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

    /** The entry of {@code family} whose variant is {@code variant}, e.g. the mini AlexNet without fc7. */
    public static ModelEntry variant(String family, String variant) {
        return ENTRIES.values().stream().filter(e -> e.family().equals(family) && e.variant().equals(variant))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no " + family + " '" + variant + "'"));
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
