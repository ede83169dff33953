package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GoogLeNetTest {

    private static final ModelOptions IMAGENET = ModelOptions.of(1000, InputShape.image(3, 224, 224));

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"googlenet, 6998552", "googlenet-bn, 7005832", "googlenet-torchvision, 6624904"})
    void trainableParametersMatchTheTable(String name, long expected) {
        assertEquals(expected, trainableParams(name));
    }

    @Test
    void auxiliaryHeadsAddTheirLayers() {
        // Per head: 1x1 conv to 128 (512 or 528 inputs), fc 128*4*4 -> 1024, linear 1024 -> 1000.
        long head4a = 512 * 128 + 128 + 2048 * 1024 + 1024 + 1024 * 1000 + 1000;
        long head4d = 528 * 128 + 128 + 2048 * 1024 + 1024 + 1024 * 1000 + 1000;
        assertEquals(6_998_552 + head4a + head4d,
                ModelProfile.of(GoogLeNet.original().withAuxiliaryClassifiers().configuration(IMAGENET), IMAGENET.input())
                        .trainableParams());
    }

    @ParameterizedTest
    @ValueSource(strings = {"googlenet", "googlenet-bn", "googlenet-torchvision"})
    void registeredDefaultsHaveOneOutput(String name) {
        assertEquals(List.of("output"), ModelRegistry.get(name).configuration().getNetworkOutputs());
    }

    @Test
    void featureMapsFollowTable1() {
        ComputationGraphConfiguration conf = ModelRegistry.get("googlenet").configuration();
        Map<String, InputType> types = conf.getLayerActivationTypes(IMAGENET.input().toInputType());
        assertShape(types, "conv1", 64, 112);
        assertShape(types, "pool1", 64, 56);
        assertShape(types, "conv2", 192, 56);
        assertShape(types, "pool2", 192, 28);
        assertShape(types, "inception_3a", 256, 28);
        assertShape(types, "inception_3b", 480, 28);
        assertShape(types, "pool3", 480, 14);
        assertShape(types, "inception_4a", 512, 14);
        assertShape(types, "inception_4b", 512, 14);
        assertShape(types, "inception_4c", 512, 14);
        assertShape(types, "inception_4d", 528, 14);
        assertShape(types, "inception_4e", 832, 14);
        assertShape(types, "pool4", 832, 7);
        assertShape(types, "inception_5a", 832, 7);
        assertShape(types, "inception_5b", 1024, 7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"googlenet", "googlenet-bn", "googlenet-torchvision"})
    void classifiesASmallBatchOfSmallImages(String name) {
        ModelOptions options = ModelOptions.of(10, InputShape.image(3, 32, 32));
        ComputationGraph net = ModelRegistry.get(name).build(options);
        INDArray out = net.outputSingle(Nd4j.rand(options.input().batchShape(2)));
        assertArrayEquals(new long[]{2, 10}, out.shape());
        assertEquals(2.0, out.sumNumber().doubleValue(), 1e-4);
    }

    @Test
    void auxiliaryLossesCountPointThreeEach() {
        ModelOptions options = ModelOptions.of(4, InputShape.image(3, 80, 80));
        ComputationGraphConfiguration conf = GoogLeNet.original().withAuxiliaryClassifiers().configuration(options);
        // The 0.3 weighting lives in the loss function, so it must survive saving the configuration.
        ComputationGraph net = new ComputationGraph(ComputationGraphConfiguration.fromJson(conf.toJson()));
        net.init();
        INDArray x = Nd4j.rand(options.input().batchShape(2));
        INDArray y = Nd4j.createFromArray(new float[][]{{1, 0, 0, 0}, {0, 0, 1, 0}});
        INDArray[] outputs = net.output(false, x);
        assertEquals(List.of("output", "aux1", "aux2"), net.getConfiguration().getNetworkOutputs());
        assertEquals(3, outputs.length);
        double expected = crossEntropy(outputs[0], y) + 0.3 * (crossEntropy(outputs[1], y) + crossEntropy(outputs[2], y));
        assertEquals(expected, net.score(new MultiDataSet(new INDArray[]{x}, new INDArray[]{y, y, y}), false), 1e-4);
    }

    private static long trainableParams(String name) {
        ModelEntry entry = ModelRegistry.get(name);
        return ModelProfile.of(entry, entry.defaultOptions()).trainableParams();
    }

    /** Mean over the batch of -sum(y log p). */
    private static double crossEntropy(INDArray probabilities, INDArray labels) {
        return -Transforms.log(probabilities, true).muli(labels).sumNumber().doubleValue() / labels.rows();
    }

    private static void assertShape(Map<String, InputType> types, String vertex, long channels, long size) {
        var type = (InputType.InputTypeConvolutional) types.get(vertex);
        assertEquals(List.of(channels, size, size), List.of(type.getChannels(), type.getHeight(), type.getWidth()),
                vertex + " (channels, height, width)");
    }
}
