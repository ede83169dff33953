package org.zoobench.zoo.weights;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * torchvision's ImageNet weights in ZooBench's nets: a state_dict saved as numpy arrays under torchvision's own
 * names ({@code numpy.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})}, which
 * {@code scripts/torchvision_to_npz.py} writes) copied into the registered net of the same architecture.
 * <p>
 * Each family maps ZooBench's layer names onto torchvision's module names by a few rules. Convolution weights have
 * the same [out, in, kh, kw] layout in both; a fully connected weight is [out, in] in torchvision and [in, out] in
 * DL4J, so it is transposed; the first fully connected layer of AlexNet reads conv5's maps flattened in the same
 * channel-row-column order in both. BatchNorm's running mean and variance are imported as they are;
 * {@code num_batches_tracked} is ignored.
 */
public final class TorchvisionWeights {

    /** One naming rule: a ZooBench layer name (whole) and the torchvision module it holds the weights of. */
    private record Rule(Pattern layer, String module) {
    }

    /**
     * A registered model with a PyTorch counterpart: its naming rules, its classifier's weight, and where the
     * counterpart comes from, for messages.
     */
    private record Family(List<Rule> rules, String classifierWeight, String origin) {

        Family(List<Rule> rules, String classifierWeight) {
            this(rules, classifierWeight, "torchvision");
        }
    }

    private static final Family ALEXNET = new Family(rules(
            "conv1", "features.0", "conv2", "features.3", "conv3", "features.6", "conv4", "features.8",
            "conv5", "features.10", "fc6", "classifier.1", "fc7", "classifier.4", "output", "classifier.6"),
            "classifier.6.weight");

    private static final Family GOOGLENET = new Family(rules(
            "conv1", "conv1.conv", "conv1_bn", "conv1.bn",
            "conv2_reduce", "conv2.conv", "conv2_reduce_bn", "conv2.bn",
            "conv2", "conv3.conv", "conv2_bn", "conv3.bn",
            "inception_(\\d[a-e])_1x1", "inception$1.branch1.conv", "inception_(\\d[a-e])_1x1_bn", "inception$1.branch1.bn",
            "inception_(\\d[a-e])_3x3_reduce", "inception$1.branch2.0.conv",
            "inception_(\\d[a-e])_3x3_reduce_bn", "inception$1.branch2.0.bn",
            "inception_(\\d[a-e])_3x3", "inception$1.branch2.1.conv", "inception_(\\d[a-e])_3x3_bn", "inception$1.branch2.1.bn",
            "inception_(\\d[a-e])_3x3b_reduce", "inception$1.branch3.0.conv",
            "inception_(\\d[a-e])_3x3b_reduce_bn", "inception$1.branch3.0.bn",
            "inception_(\\d[a-e])_3x3b", "inception$1.branch3.1.conv", "inception_(\\d[a-e])_3x3b_bn", "inception$1.branch3.1.bn",
            "inception_(\\d[a-e])_pool_proj", "inception$1.branch4.1.conv",
            "inception_(\\d[a-e])_pool_proj_bn", "inception$1.branch4.1.bn",
            "output", "fc"), "fc.weight");

    private static final Family RESNET = new Family(rules(
            "conv1", "conv1", "conv1_bn", "bn1",
            "stage(\\d)_unit(\\d+)_conv(\\d)", "layer$1.#$2.conv$3",
            "stage(\\d)_unit(\\d+)_conv(\\d)_bn", "layer$1.#$2.bn$3",
            "stage(\\d)_unit(\\d+)_shortcut", "layer$1.#$2.downsample.0",
            "stage(\\d)_unit(\\d+)_shortcut_bn", "layer$1.#$2.downsample.1",
            "output", "fc"), "fc.weight");

    private static final Family DENSENET = new Family(rules(
            "conv0", "features.conv0", "conv0_bn", "features.norm0",
            "dense(\\d)_layer(\\d+)_conv(\\d)", "features.denseblock$1.denselayer$2.conv$3",
            "dense(\\d)_layer(\\d+)_conv(\\d)_bn", "features.denseblock$1.denselayer$2.norm$3",
            "transition(\\d)_conv", "features.transition$1.conv",
            "transition(\\d)_conv_bn", "features.transition$1.norm",
            "norm5", "features.norm5", "output", "classifier"), "classifier.weight");

    private static final Map<String, Family> FAMILIES = new LinkedHashMap<>();

    /**
     * The PyTorch twins of ZooBench's own nets that benchmarks/peers/zoobench_peers.py defines for the speed
     * comparison, whose modules carry ZooBench's layer names; an LSTM's weights are {@code *_l0} (forward) and
     * {@code *_l0_reverse} (backward) of one PyTorch module.
     */
    private static final String PEER = "ZooBench's PyTorch peer";
    private static final Map<String, Family> PEERS = Map.of(
            "lenet5", new Family(rules("(c1|c3)", "features.$1", "(c5|f6|output)", "$1"), "output.weight", PEER),
            "alexnet-mini", new Family(rules("(conv\\d)", "features.$1", "(fc\\d)", "classifier.$1", "output", "output"),
                    "output.weight", PEER),
            "resnet20", new Family(rules("conv1", "conv1.conv", "conv1_bn", "conv1.bn",
                    "(stage\\d_unit\\d+)_conv1", "stages.$1.conv1.conv", "(stage\\d_unit\\d+)_conv1_bn", "stages.$1.conv1.bn",
                    "(stage\\d_unit\\d+)_conv2", "stages.$1.conv2", "(stage\\d_unit\\d+)_conv2_bn", "stages.$1.conv2_bn",
                    "output", "output"), "output.weight", PEER),
            "bilstm-max", new Family(rules("(rnn\\d)_fwd", "$1.*_l0", "(rnn\\d)_bwd", "$1.*_l0_reverse",
                    "step_scores", "step_scores"), "step_scores.weight", PEER));

    static {
        FAMILIES.put("alexnet", ALEXNET);
        FAMILIES.put("googlenet-torchvision", GOOGLENET);
        for (int depth : new int[]{18, 34, 50, 101, 152}) {
            FAMILIES.put("resnet" + depth, RESNET);
        }
        for (int depth : new int[]{121, 161, 169, 201}) {
            FAMILIES.put("densenet" + depth, DENSENET);
        }
    }

    /** Names in torchvision's files that hold no weights: BatchNorm's step counter. */
    private static final String IGNORED_SUFFIX = "num_batches_tracked";

    private TorchvisionWeights() {
    }

    /** The registered models torchvision weights can be imported into. */
    public static Set<String> models() {
        return FAMILIES.keySet();
    }

    /** Whether {@code model} has a torchvision counterpart. */
    public static boolean supports(String model) {
        return FAMILIES.containsKey(model);
    }

    /**
     * The registered {@code model} at its default input, with as many classes as the weights' classifier has, holding
     * {@code weights} (torchvision names, as {@link Npy#readNpz} reads them); {@code source} names them in errors.
     */
    public static ComputationGraph load(String model, Map<String, INDArray> weights, String source) {
        return load(model, weights, source, ModelRegistry.get(model).defaultInput());
    }

    /** As {@link #load(String, Map, String)}, built for {@code input}. */
    public static ComputationGraph load(String model, Map<String, INDArray> weights, String source,
                                        InputShape input) {
        Family family = FAMILIES.get(model);
        if (family == null) {
            throw new UserInputException("'" + model + "' has no torchvision counterpart; torchvision weights fit "
                    + String.join(", ", models()));
        }
        return load(model, family, weights, source, input);
    }

    /**
     * The registered {@code model} built for {@code input} with the weights of its PyTorch twin in
     * benchmarks/peers/zoobench_peers.py (a state_dict as {@link Npy#readNpz} reads it): lenet5, alexnet-mini,
     * resnet20, bilstm-max.
     */
    public static ComputationGraph loadPeer(String model, Map<String, INDArray> weights, String source,
                                            InputShape input) {
        Family family = PEERS.get(model);
        if (family == null) {
            throw new IllegalArgumentException("no weight mapping for the PyTorch peer of " + model);
        }
        return load(model, family, weights, source, input);
    }

    private static ComputationGraph load(String model, Family family, Map<String, INDArray> weights, String source,
                                         InputShape input) {
        String origin = family.origin() + " " + model;
        INDArray classifier = weights.get(family.classifierWeight());
        if (classifier == null || classifier.rank() != 2) {
            throw new UserInputException(source + " has no 2-D tensor '" + family.classifierWeight() + "' (the "
                    + "classifier of " + origin + "): is it a " + origin + " state_dict?");
        }
        ModelEntry entry = ModelRegistry.get(model);
        ComputationGraph graph = entry.build(ModelOptions.of((int) classifier.size(0), input),
                TorchvisionWeights::keepVariance);
        Set<String> unused = new LinkedHashSet<>(weights.keySet());
        unused.removeIf(name -> name.endsWith(IGNORED_SUFFIX));
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            String module = module(family, name);
            for (Map.Entry<String, INDArray> param : new TreeMap<>(layer.paramTable()).entrySet()) {
                Tensor tensor = tensorFor(layer, module, param.getKey());
                INDArray value = weights.get(tensor.name());
                INDArray addend = tensor.addend() == null ? null : weights.get(tensor.addend());
                String missing = value == null ? tensor.name() : tensor.addend() != null && addend == null
                        ? tensor.addend() : null;
                if (missing != null) {
                    throw new UserInputException(source + " has no tensor '" + missing + "', which " + model
                            + "'s layer '" + name + "' needs (is it a " + origin + " state_dict?)");
                }
                unused.remove(tensor.name());
                unused.remove(tensor.addend());
                if (addend != null && Arrays.equals(addend.shape(), value.shape())) {
                    value = value.add(addend);
                }
                long[] expected = tensor.torchShape(param.getValue());
                if (!Arrays.equals(value.shape(), expected)) {
                    throw new UserInputException(source + ": tensor '" + tensor.name() + "' has shape "
                            + Arrays.toString(value.shape()) + ", " + model + " needs " + Arrays.toString(expected)
                            + " (is it a " + origin + " state_dict?)");
                }
                param.getValue().assign(tensor.toDl4j(value).reshape(param.getValue().shape()));
            }
        }
        if (!unused.isEmpty()) {
            throw new UserInputException(source + " holds tensor '" + unused.iterator().next() + "'"
                    + (unused.size() > 1 ? " (and " + (unused.size() - 1) + " more)" : "") + ", for which " + model
                    + " has no place (is it a " + origin + " state_dict, without auxiliary heads?)");
        }
        return graph;
    }

    /**
     * DL4J's BatchNorm stores log10 of the standard deviation by default and recovers the variance from it in
     * float32, which moved GoogLeNet's logits by 4e-4 of their scale; imported nets keep torchvision's variance.
     */
    private static void keepVariance(ComputationGraphConfiguration conf) {
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof BatchNormalization bn) {
                bn.setUseLogStd(false);
            }
        }
    }

    private static String module(Family family, String layer) {
        for (Rule rule : family.rules()) {
            Matcher m = rule.layer().matcher(layer);
            if (m.matches()) {
                return unitIndex(m.replaceFirst(rule.module()));
            }
        }
        throw new IllegalStateException("no torchvision name for layer " + layer);
    }

    /** ZooBench counts residual units from 1 ("#2"), torchvision's Sequential from 0 (".1"). */
    private static String unitIndex(String module) {
        Matcher m = Pattern.compile("#(\\d+)").matcher(module);
        return m.find() ? m.replaceFirst(String.valueOf(Integer.parseInt(m.group(1)) - 1)) : module;
    }

    /**
     * The PyTorch tensor behind one DL4J parameter (plus {@code addend}, for an LSTM's second bias, else null) and
     * how its values convert.
     */
    private record Tensor(String name, Kind kind, String addend) {

        /**
         * GATES: an LSTM's four gate blocks, which PyTorch stacks as (input, forget, cell, output) and DL4J as (cell,
         * forget, output, input); GATES_TRANSPOSED: the same for a weight matrix, which is also transposed.
         */
        enum Kind { SAME, TRANSPOSED, VECTOR, GATES, GATES_TRANSPOSED }

        /** For each of DL4J's gate blocks, PyTorch's. */
        private static final int[] TORCH_GATE = {2, 1, 3, 0};

        Tensor(String name, Kind kind) {
            this(name, kind, null);
        }

        long[] torchShape(INDArray dl4j) {
            return switch (kind) {
                case SAME -> dl4j.shape();
                case TRANSPOSED, GATES_TRANSPOSED -> new long[]{dl4j.size(1), dl4j.size(0)};
                case VECTOR, GATES -> new long[]{dl4j.length()};
            };
        }

        INDArray toDl4j(INDArray torch) {
            return switch (kind) {
                case SAME, VECTOR -> torch;
                case TRANSPOSED -> torch.transpose();
                case GATES -> gates(torch.reshape(torch.length(), 1));
                case GATES_TRANSPOSED -> gates(torch).transpose();
            };
        }

        private static INDArray gates(INDArray rows) {
            long n = rows.size(0) / TORCH_GATE.length;
            INDArray[] blocks = new INDArray[TORCH_GATE.length];
            for (int k = 0; k < blocks.length; k++) {
                blocks[k] = rows.get(NDArrayIndex.interval(TORCH_GATE[k] * n, (TORCH_GATE[k] + 1) * n),
                        NDArrayIndex.all());
            }
            return Nd4j.concat(0, blocks);
        }
    }

    private static Tensor tensorFor(Layer layer, String module, String param) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf instanceof BatchNormalization) {
            return switch (param) {
                case BatchNormalizationParamInitializer.GAMMA -> new Tensor(module + ".weight", Tensor.Kind.VECTOR);
                case BatchNormalizationParamInitializer.BETA -> new Tensor(module + ".bias", Tensor.Kind.VECTOR);
                case BatchNormalizationParamInitializer.GLOBAL_MEAN ->
                        new Tensor(module + ".running_mean", Tensor.Kind.VECTOR);
                case BatchNormalizationParamInitializer.GLOBAL_VAR ->
                        new Tensor(module + ".running_var", Tensor.Kind.VECTOR);
                default -> throw new IllegalStateException("unknown BatchNorm parameter " + param);
            };
        }
        if (conf instanceof LSTM) {
            return switch (param) {
                case LSTMParamInitializer.INPUT_WEIGHT_KEY ->
                        new Tensor(module.replace("*", "weight_ih"), Tensor.Kind.GATES_TRANSPOSED);
                case LSTMParamInitializer.RECURRENT_WEIGHT_KEY ->
                        new Tensor(module.replace("*", "weight_hh"), Tensor.Kind.GATES_TRANSPOSED);
                case LSTMParamInitializer.BIAS_KEY -> new Tensor(module.replace("*", "bias_ih"), Tensor.Kind.GATES,
                        module.replace("*", "bias_hh"));
                default -> throw new IllegalStateException("unknown LSTM parameter " + param);
            };
        }
        boolean weight = param.equals("W");
        if (!weight && !param.equals("b")) {
            throw new IllegalStateException("unknown parameter " + param + " of " + conf.getLayerName());
        }
        if (!weight) {
            return new Tensor(module + ".bias", Tensor.Kind.VECTOR);
        }
        return new Tensor(module + ".weight", conf instanceof ConvolutionLayer ? Tensor.Kind.SAME
                : conf instanceof FeedForwardLayer && conf instanceof BaseLayer ? Tensor.Kind.TRANSPOSED
                : failUnknown(conf));
    }

    private static Tensor.Kind failUnknown(org.deeplearning4j.nn.conf.layers.Layer conf) {
        throw new IllegalStateException("no torchvision layout for " + conf.getClass().getSimpleName());
    }

    /** Alternating layer-name patterns and torchvision module names ($n: the pattern's groups). */
    private static List<Rule> rules(String... pairs) {
        Rule[] rules = new Rule[pairs.length / 2];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = new Rule(Pattern.compile(pairs[2 * i]), pairs[2 * i + 1]);
        }
        return List.of(rules);
    }
}
