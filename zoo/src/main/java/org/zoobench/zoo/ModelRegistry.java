package org.zoobench.zoo;

import org.apache.commons.text.similarity.LevenshteinDistance;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.zoobench.zoo.models.AlexNet;
import org.zoobench.zoo.models.Dl4jZoo;
import org.zoobench.zoo.models.GoogLeNet;
import org.zoobench.zoo.models.LeNet5;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
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

    /** DL4J's own zoo, side by side with ours so its deviations from the papers show in the numbers. */
    private static void addDl4jZoo() {
        add("dl4j-lenet", "DL4J zoo LeNet: Caffe variant (20/50 filters, 500-unit FC), not LeNet-5", MNIST, 10, Dl4jZoo::leNet);
        add("dl4j-simplecnn", "DL4J zoo SimpleCNN: 12 convs with BatchNorm, 48x48 input", InputShape.image(3, 48, 48), 10, Dl4jZoo::simpleCnn);
        add("dl4j-alexnet", "DL4J zoo AlexNet: single tower, LRN placed differently from the paper", IMAGENET, 1000, Dl4jZoo::alexNet);
        add("dl4j-vgg16", "DL4J zoo VGG-16 (configuration D, as published)", IMAGENET, 1000, Dl4jZoo::vgg16);
        add("dl4j-vgg19", "DL4J zoo VGG-19: one 4096-unit FC layer short of the paper (no fc7)", IMAGENET, 1000, Dl4jZoo::vgg19);
        add("dl4j-resnet50", "DL4J zoo ResNet-50: conv biases before BN, stage-2 downsampling, max-pool head", IMAGENET, 1000, Dl4jZoo::resNet50);
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

    static List<String> closest(String name, int count) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String query = name.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>(ENTRIES.keySet());
        Collections.sort(names, Comparator.<String>comparingInt(n -> n.startsWith(query) || query.startsWith(n) ? 0 : 1)
                .thenComparingInt(n -> distance.apply(query, n)));
        return names.stream().limit(count).collect(Collectors.toList());
    }
}
