package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zoobench.zoo.models.ClassifierAssertions.assertClassifies;
import static org.zoobench.zoo.models.ClassifierAssertions.assertClassifiesByDefault;

class AlexNetTest {

    /**
     * ImageNet figures: docs/reference-facts.md §1 (torchvision, the two-group arithmetic and the ablations); fc2048/fc8192 and
     * the mini nets are the same arithmetic done by hand from the layer table (e.g. fc2048: convs 2,469,696 +
     * fc6 9216*2048+2048 + fc7 2048*2048+2048 + fc8 2048*1000+1000). Mini nets at 1x28x28 see 2x2x64 after pool5.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "alexnet, 61100840",
            "alexnet-grouped, 60965224",
            "alexnet-no-fc7, 44319528",
            "alexnet-no-fc6-fc7, 11686696",
            "alexnet-no-conv3-conv4, 59404456",
            "alexnet-no-conv3-conv4-fc6-fc7, 9990312",
            "alexnet-fc2048, 27591464",
            "alexnet-fc8192, 153285416",
            "alexnet-mini, 1476282",
            "alexnet-mini-grouped, 1467194",
            "alexnet-mini-no-fc7, 426682",
            "alexnet-mini-no-fc6-fc7, 155834",
            "alexnet-mini-no-conv3-conv4, 1370138",
            "alexnet-mini-no-conv3-conv4-fc6-fc7, 49690",
            "alexnet-mini-fc2048, 552634",
            "alexnet-mini-fc8192, 4896442",
    })
    void trainableParametersMatchTheLayerTable(String name, long expected) {
        assertEquals(expected, paramsOf(name));
    }

    @Test
    void ablationsRemoveTheParametersOfTheLayersTheyDrop() {
        long full = paramsOf("alexnet");
        assertEquals(16_781_312, full - paramsOf("alexnet-no-fc7"), "fc7 is 4096x4096 + 4096");
        assertEquals(49_414_144, full - paramsOf("alexnet-no-fc6-fc7"), "fc8 then reads conv5's 9,216 features");
    }

    @Test
    void twoGroupLayersSeeOnlyHalfTheChannels() {
        ComputationGraphConfiguration conf = ModelRegistry.get("alexnet-grouped").configuration();
        assertEquals(48, nIn(conf, "conv2_g0"), "conv2 reads one GPU's 48 of conv1's 96 maps");
        assertEquals(256, nIn(conf, "conv3"), "conv3 reads both GPUs");
        assertEquals(192, nIn(conf, "conv4_g1"));
        assertEquals(192, nIn(conf, "conv5_g0"));
        assertFalse(ModelRegistry.get("alexnet").configuration().getVertices().containsKey("conv1_lrn"),
                "torchvision's single tower has no LRN");
        assertTrue(conf.getVertices().containsKey("conv2_lrn"));
    }

    @Test
    void groupedConfigurationSurvivesJson() {
        ComputationGraphConfiguration conf = ModelRegistry.get("alexnet-mini-grouped").configuration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        InputShape input = ModelRegistry.get("alexnet-mini-grouped").defaultInput();
        assertEquals(ModelProfile.of(conf, input).trainableParams(), ModelProfile.of(back, input).trainableParams());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alexnet-mini", "alexnet-mini-grouped", "alexnet-mini-no-fc7", "alexnet-mini-no-fc6-fc7",
            "alexnet-mini-no-conv3-conv4", "alexnet-mini-no-conv3-conv4-fc6-fc7", "alexnet-mini-fc2048",
            "alexnet-mini-fc8192"})
    void miniNetsClassifyASmallBatchAtTheirDefaultInput(String name) {
        assertClassifiesByDefault(name, InputShape.image(1, 28, 28), 10, 3);
    }

    /**
     * End to end: the mini net learns a 10-class task whose class is where a bright patch sits on a noisy 28x28
     * image, well beyond chance (10%) after a few hundred examples.
     */
    @Test
    void miniNetLearns() {
        ModelEntry entry = ModelRegistry.get("alexnet-mini");
        ComputationGraph net = entry.build(entry.defaultOptions());
        Nd4j.getRandom().setSeed(3);
        for (int step = 0; step < 10; step++) {
            net.fit(brightPatchBatch(20, step * 20));
        }
        DataSet test = brightPatchBatch(50, 7);
        INDArray predicted = net.outputSingle(test.getFeatures()).argMax(1);
        INDArray truth = test.getLabels().argMax(1);
        double accuracy = predicted.eq(truth).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertTrue(accuracy > 0.6, "accuracy " + accuracy);
    }

    /** Class k puts a bright 7x5 patch at row 3 or 17, column 5 * (k mod 5), on uniform noise. */
    private static DataSet brightPatchBatch(int size, int firstIndex) {
        INDArray x = Nd4j.rand(size, 1, 28, 28).muli(0.3);
        INDArray y = Nd4j.zeros(size, 10);
        for (int i = 0; i < size; i++) {
            int k = (firstIndex + i) % 10;
            int row = k < 5 ? 3 : 17;
            int col = 5 * (k % 5);
            x.get(NDArrayIndex.point(i), NDArrayIndex.point(0), NDArrayIndex.interval(row, row + 7),
                    NDArrayIndex.interval(col, col + 5)).addi(1.0);
            y.putScalar(i, k, 1.0);
        }
        return new DataSet(x, y);
    }

    @Test
    void miniNetTakesColourCifarSizedImages() {
        ModelOptions cifar = ModelOptions.of(10, InputShape.image(3, 32, 32));
        ModelEntry entry = ModelRegistry.get("alexnet-mini-grouped");
        assertClassifies(entry.build(cifar), cifar, 2);
    }

    @Test
    void groupedAlexNetRunsAtImageNetSize() {
        ModelEntry entry = ModelRegistry.get("alexnet-grouped");
        ModelOptions options = entry.defaultOptions();
        assertClassifies(entry.build(options), options, 1);
    }

    @Test
    void nInFollowsTheInputSize() {
        ModelOptions small = ModelOptions.of(7, InputShape.image(3, 127, 127));
        ComputationGraphConfiguration conf = ModelRegistry.get("alexnet").configuration(small);
        // 127 -> conv1 31 -> pool1 15 -> pool2 7 -> pool5 3: fc6 reads 256 * 3 * 3.
        assertEquals(256 * 3 * 3, nIn(conf, "fc6"));
    }

    @Test
    void inputTooSmallIsAUserError() {
        ModelOptions tiny = ModelOptions.of(10, InputShape.image(3, 8, 8));
        UserInputException e = assertThrows(UserInputException.class,
                () -> ModelRegistry.get("alexnet").configuration(tiny));
        assertTrue(e.getMessage().contains("alexnet") && e.getMessage().contains("3x8x8"), e.getMessage());
    }

    @Test
    void onlyConv3Conv4Fc6Fc7CanBeRemoved() {
        assertThrows(IllegalArgumentException.class, () -> AlexNet.singleTower().without("conv1"));
    }

    private static long paramsOf(String name) {
        ModelEntry entry = ModelRegistry.get(name);
        return ModelProfile.of(entry, entry.defaultOptions()).trainableParams();
    }

    private static long nIn(ComputationGraphConfiguration conf, String layer) {
        var vertex = (LayerVertex) conf.getVertices().get(layer);
        return ((FeedForwardLayer) vertex.getLayerConf().getLayer()).getNIn();
    }
}
