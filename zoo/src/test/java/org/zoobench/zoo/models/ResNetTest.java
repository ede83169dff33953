package org.zoobench.zoo.models;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.zoobench.zoo.models.ClassifierAssertions.assertClassifies;
import static org.zoobench.zoo.models.ClassifierAssertions.assertClassifiesByDefault;

class ResNetTest {

    /**
     * ImageNet ResNets and CIFAR option-A ResNets: docs/reference-facts.md §1. The rest is the same arithmetic from the layer
     * table: option B adds two projections, 1x1 16->32 + BN (576) and 1x1 32->64 + BN (2,176), to every CIFAR depth;
     * plain ImageNet nets lack the projections: 173,824 for the basic nets (64->128, 128->256, 256->512, each with
     * BN) and 2,776,576 for the bottleneck nets (64->256, 256->512, 512->1024, 1024->2048); plain CIFAR nets equal
     * option A, which has no parameters.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "resnet18, 11689512", "resnet34, 21797672", "resnet50, 25557032", "resnet101, 44549160",
            "resnet152, 60192808",
            "plain18, 11515688", "plain34, 21623848", "plain50, 22780456", "plain101, 41772584",
            "plain152, 57416232",
            "resnet20, 269722", "resnet32, 464154", "resnet44, 658586", "resnet56, 853018", "resnet110, 1727962",
            "resnet20-b, 272474", "resnet32-b, 466906", "resnet44-b, 661338", "resnet56-b, 855770",
            "resnet110-b, 1730714",
            "plain20, 269722", "plain32, 464154", "plain44, 658586", "plain56, 853018", "plain110, 1727962",
    })
    void trainableParametersMatchThePublishedCounts(String name, long expected) {
        assertEquals(expected, profile(name, ModelRegistry.get(name).defaultInput()).trainableParams());
    }

    /**
     * Multiply-accumulates at 224x224 against torchvision's GFLOPS column (which counts MACs), to its two decimals.
     * ResNet-50 tells where the bottleneck strides: 4.09 on the 3x3 (v1.5); striding the first 1x1 (v1) would give
     * 3.86, since those 1x1s would then run at a quarter of the positions (arithmetic).
     */
    @ParameterizedTest(name = "{0}: {1} GMACs")
    @CsvSource({"resnet18, 1.81", "resnet34, 3.66", "resnet50, 4.09", "resnet101, 7.80", "resnet152, 11.51"})
    void macsMatchTorchvision(String name, double gigaMacs) {
        assertEquals(gigaMacs, profile(name, ModelRegistry.get(name).defaultInput()).macs() / 1e9, 0.005);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "resnet32", "resnet44", "resnet56", "resnet110", "resnet20-b", "resnet32-b",
            "resnet44-b", "resnet56-b", "resnet110-b", "plain20", "plain32", "plain44", "plain56", "plain110"})
    void cifarNetsClassifyABatchAt32x32(String name) {
        assertClassifiesByDefault(name, InputShape.image(3, 32, 32), 10, 2);
    }

    @Test
    void cifarStagesHalveTheMapAndDoubleTheChannels() {
        ComputationGraph net = ModelRegistry.get("resnet20").build(ModelRegistry.get("resnet20").defaultOptions());
        Map<String, INDArray> acts = net.feedForward(Nd4j.rand(2, 3, 32, 32), false);
        assertArrayEquals(new long[]{2, 16, 32, 32}, acts.get("stage1_unit3").shape());
        assertArrayEquals(new long[]{2, 32, 16, 16}, acts.get("stage2_unit3").shape());
        assertArrayEquals(new long[]{2, 64, 8, 8}, acts.get("stage3_unit3").shape());
        assertArrayEquals(new long[]{2, 64}, acts.get("avgpool").shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
            "plain18", "plain34", "plain50", "plain101", "plain152"})
    void imageNetNetsInferTheirShapesAt224(String name) {
        ModelEntry entry = ModelRegistry.get(name);
        assertEquals(InputShape.image(3, 224, 224), entry.defaultInput());
        ModelProfile p = profile(name, entry.defaultInput());
        int expansion = name.endsWith("18") || name.endsWith("34") ? 1 : 4;
        assertEquals("64x56x56", p.layer("pool1").outputShape());
        assertEquals(64 * expansion + "x56x56", p.layer("stage1_unit2").outputShape());
        assertEquals(128 * expansion + "x28x28", p.layer("stage2_unit2").outputShape());
        assertEquals(256 * expansion + "x14x14", p.layer("stage3_unit2").outputShape());
        assertEquals(512 * expansion + "x7x7", p.layer("stage4_unit2").outputShape());
        assertEquals("1000", p.outputShape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50"})
    void imageNetNetsClassifySmallerImages(String name) {
        // Global average pooling: 64x64 ends in a 2x2 map, and the classifier does not care.
        ModelOptions small = ModelOptions.of(1000, InputShape.image(3, 64, 64));
        assertClassifies(ModelRegistry.get(name).build(small), small, 2);
    }

    @Test
    void classCountAndChannelsAreOptions() {
        ModelOptions grey = ModelOptions.of(7, InputShape.image(1, 20, 20));
        ModelProfile p = ModelProfile.of(ModelRegistry.get("resnet32"), grey);
        assertEquals(1 * 16 * 3 * 3, p.layer("conv1").trainableParams(), "the stem reads one channel");
        assertEquals(64 * 7 + 7, p.layer("output").trainableParams());
        assertClassifies(ModelRegistry.get("resnet32-b").build(grey), grey, 2);
    }

    @Test
    void depthsOutsideThePaperAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ResNet.imageNet(42));
        assertThrows(IllegalArgumentException.class, () -> ResNet.cifar(21));
        assertEquals(List.of(1, 1, 1), ResNet.cifar(8).unitsPerStage());
    }

    private static ModelProfile profile(String name, InputShape input) {
        ModelEntry entry = ModelRegistry.get(name);
        return ModelProfile.of(entry, entry.defaultOptions().withInput(input));
    }
}
