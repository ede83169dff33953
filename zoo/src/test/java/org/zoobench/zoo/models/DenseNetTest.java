package org.zoobench.zoo.models;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.zoobench.zoo.models.ClassifierAssertions.assertClassifies;

class DenseNetTest {

    /** docs/reference-facts.md §1: torchvision's DenseNets and the arithmetic of DenseNet-BC L=100, k=12. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"densenet121, 7978856", "densenet169, 14149480", "densenet201, 20013928", "densenet161, 28681000",
            "densenet-bc-100, 769162"})
    void trainableParametersMatchThePublishedCounts(String name, long expected) {
        ModelEntry entry = ModelRegistry.get(name);
        assertEquals(expected, ModelProfile.of(entry, entry.defaultOptions()).trainableParams());
    }

    /** Multiply-accumulates at 224x224 against torchvision's GFLOPS column (which counts MACs), to its two decimals. */
    @ParameterizedTest(name = "{0}: {1} GMACs")
    @CsvSource({"densenet121, 2.83", "densenet169, 3.36", "densenet201, 4.29", "densenet161, 7.73"})
    void macsMatchTorchvision(String name, double gigaMacs) {
        ModelEntry entry = ModelRegistry.get(name);
        assertEquals(gigaMacs, ModelProfile.of(entry, entry.defaultOptions()).macs() / 1e9, 0.005);
    }

    /** Block outputs at 224x224: 56, 28, 14, 7 pixels; channels grow by k per layer and halve at transitions. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"densenet121, 256, 512, 1024, 1024", "densenet169, 256, 512, 1280, 1664",
            "densenet201, 256, 512, 1792, 1920", "densenet161, 384, 768, 2112, 2208"})
    void imageNetNetsInferTheirShapesAt224(String name, int c1, int c2, int c3, int c4) {
        ModelEntry entry = ModelRegistry.get(name);
        assertEquals(InputShape.image(3, 224, 224), entry.defaultInput());
        ModelProfile p = ModelProfile.of(entry, entry.defaultOptions());
        assertEquals(c1 + "x56x56", p.layer("dense1").outputShape());
        assertEquals(c2 + "x28x28", p.layer("dense2").outputShape());
        assertEquals(c3 + "x14x14", p.layer("dense3").outputShape());
        assertEquals(c4 + "x7x7", p.layer("dense4").outputShape());
        assertEquals(c1 / 2 + "x28x28", p.layer("transition1_pool").outputShape());
        assertEquals("1000", p.outputShape());
    }

    @Test
    void denseNetBcClassifiesABatchAt32x32() {
        ModelEntry entry = ModelRegistry.get("densenet-bc-100");
        ModelOptions options = entry.defaultOptions();
        assertEquals(InputShape.image(3, 32, 32), options.input());
        assertEquals(10, options.numClasses());
        ComputationGraph net = entry.build(options);
        assertClassifies(net, options, 2);
        // 24 + 16 * 12 = 216 maps, compressed to 108; 108 + 192 = 300 -> 150; 150 + 192 = 342.
        ModelProfile p = ModelProfile.of(entry, options);
        assertEquals("216x32x32", p.layer("dense1").outputShape());
        assertEquals("108x16x16", p.layer("transition1_pool").outputShape());
        assertEquals("150x8x8", p.layer("transition2_pool").outputShape());
        assertEquals("342x8x8", p.layer("dense3").outputShape());
        // The 16th layer of block 1 reads all 24 + 15 * 12 earlier maps.
        assertEquals((24 + 15 * 12) * 48, p.layer("dense1_layer16_conv1").trainableParams());
    }

    @Test
    void imageNetDenseNetClassifiesSmallImages() {
        // 64x64 ends in a 2x2 map after the fourth block; global average pooling takes any size.
        ModelOptions small = ModelOptions.of(5, InputShape.image(3, 64, 64));
        assertClassifies(ModelRegistry.get("densenet121").build(small), small, 1);
    }

    @Test
    void layoutsOutsideThePaperAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DenseNet.imageNet(100));
        assertThrows(IllegalArgumentException.class, () -> DenseNet.cifarBc(101, 12));
        assertEquals(List.of(16, 16, 16), DenseNet.cifarBc(100, 12).layersPerBlock());
    }
}
