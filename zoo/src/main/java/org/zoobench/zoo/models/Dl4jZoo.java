package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.zoo.model.AlexNet;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.TextGenerationLSTM;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.deeplearning4j.zoo.model.Xception;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelOptions;

/**
 * DL4J's own zoo (deeplearning4j-zoo 1.0.0-M2.1) as configurations, registered under {@code dl4j-} names so
 * `zoobench models` shows them beside ours. They are DL4J's designs, deviations from the papers included; the
 * sequential ones are rewritten as single-chain graphs so every registry entry is a ComputationGraph.
 */
public final class Dl4jZoo {

    private Dl4jZoo() {
    }

    public static ComputationGraphConfiguration leNet(ModelOptions o) {
        return asGraph(LeNet.builder().numClasses(o.numClasses()).inputShape(chw(o)).seed(o.seed())
                .updater(o.updater()).build().conf(), o);
    }

    public static ComputationGraphConfiguration simpleCnn(ModelOptions o) {
        return asGraph(SimpleCNN.builder().numClasses(o.numClasses()).inputShape(chw(o)).seed(o.seed())
                .updater(o.updater()).build().conf(), o);
    }

    public static ComputationGraphConfiguration alexNet(ModelOptions o) {
        return asGraph(AlexNet.builder().numClasses(o.numClasses()).inputShape(chw(o)).seed(o.seed())
                .updater(o.updater()).build().conf(), o);
    }

    public static ComputationGraphConfiguration vgg16(ModelOptions o) {
        return withDataType(VGG16.builder().numClasses(o.numClasses()).inputShape(chw(o)).seed(o.seed())
                .updater(o.updater()).build().conf(), o);
    }

    public static ComputationGraphConfiguration vgg19(ModelOptions o) {
        return withDataType(VGG19.builder().numClasses(o.numClasses()).inputShape(chw(o)).seed(o.seed())
                .updater(o.updater()).build().conf(), o);
    }

    /**
     * With He initialisation: DL4J's default for this model, a truncated normal with standard deviation 0.5, makes
     * activations overflow float32 by the third stage, so every output of an untrained network is NaN.
     */
    public static ComputationGraphConfiguration resNet50(ModelOptions o) {
        return withDataType(ResNet50.builder().numClasses(o.numClasses()).inputShape(chw(o)).seed(o.seed())
                .updater(o.updater()).weightInit(new WeightInitRelu()).build().graphBuilder().build(), o);
    }

    public static ComputationGraphConfiguration squeezeNet(ModelOptions o) {
        // Its graphBuilder() leaves naming the input and setting its type to init().
        return withDataType(SqueezeNet.builder().numClasses(o.numClasses()).inputShape(chw(o)).seed(o.seed())
                .updater(o.updater()).build().graphBuilder()
                .addInputs("input").setInputTypes(o.input().toInputType()).build(), o);
    }

    public static ComputationGraphConfiguration darknet19(ModelOptions o) {
        return withDataType(Darknet19.builder().numClasses(o.numClasses()).inputShape(chw(o)).seed(o.seed())
                .updater(o.updater()).build().conf(), o);
    }

    public static ComputationGraphConfiguration xception(ModelOptions o) {
        return withDataType(Xception.builder().numClasses(o.numClasses()).inputShape(chw(o)).seed(o.seed())
                .updater(o.updater()).build().graphBuilder()
                .addInputs("input").setInputTypes(o.input().toInputType()).build(), o);
    }

    /** A character model: it reads one-hot characters and predicts the next, so classes and features coincide. */
    public static ComputationGraphConfiguration textGenerationLstm(ModelOptions o) {
        if (!(o.input() instanceof InputShape.Sequence in) || in.features() != o.numClasses()) {
            throw new UserInputException("dl4j-textgenlstm reads and predicts characters: its input must be a"
                    + " sequence FxT with F equal to the number of classes (" + o.numClasses() + "), got " + o.input());
        }
        return asGraph(TextGenerationLSTM.builder().totalUniqueCharacters(in.features()).maxLength(in.length())
                .inputShape(new int[]{in.length(), in.features()}).seed(o.seed()).updater(o.updater()).build().conf(), o);
    }

    private static int[] chw(ModelOptions o) {
        InputShape.Image in = o.input().image();
        return new int[]{in.channels(), in.height(), in.width()};
    }

    /** DL4J's zoo builders take no data type; the graph's decides what ComputationGraph.init allocates. */
    private static ComputationGraphConfiguration withDataType(ComputationGraphConfiguration conf, ModelOptions o) {
        conf.setDataType(o.dataType());
        for (GraphVertex vertex : conf.getVertices().values()) {
            vertex.setDataType(o.dataType());
        }
        return conf;
    }

    /**
     * The same layers as a one-input chain graph, configuration only: what MultiLayerNetwork.toComputationGraph()
     * does, without building and initialising the network first. Layer objects already carry their resolved
     * settings (updater, initialisation, activation); the graph keeps the network-wide ones. Preprocessors are
     * inferred again from the input type rather than copied: DL4J's sequential zoo models bake ones for their
     * default input size (AlexNet's 256x6x6 flattening), which would break every other input size.
     */
    static ComputationGraphConfiguration asGraph(MultiLayerConfiguration layers, ModelOptions o) {
        NeuralNetConfiguration first = layers.getConf(0);
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(first.getSeed())
                .dataType(o.dataType())
                .cacheMode(layers.getCacheMode())
                .trainingWorkspaceMode(layers.getTrainingWorkspaceMode())
                .inferenceWorkspaceMode(layers.getInferenceWorkspaceMode())
                .graphBuilder()
                .backpropType(layers.getBackpropType())
                .tBPTTForwardLength(layers.getTbpttFwdLength())
                .tBPTTBackwardLength(layers.getTbpttBackLength())
                .addInputs("input");
        String previous = "input";
        for (int i = 0; i < layers.getConfs().size(); i++) {
            Layer layer = layers.getConf(i).getLayer();
            String name = layer.getLayerName() != null ? layer.getLayerName() : "layer" + i;
            graph.addLayer(name, layer, previous);
            previous = name;
        }
        return graph.setOutputs(previous).setInputTypes(o.input().toInputType()).build();
    }
}
