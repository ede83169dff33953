package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.LeNet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** DL4J's own zoo at its default inputs: the numbers that show where it departs from the papers. */
class Dl4jZooTest {

    private static ModelProfile profile(String name) {
        ModelEntry entry = ModelRegistry.get(name);
        return ModelProfile.of(entry, entry.defaultOptions());
    }

    /** What DL4J's {@code numParams()} would report: its parameter table, BatchNorm running statistics included. */
    private static long dl4jNumParams(String name) {
        ComputationGraphConfiguration conf = ModelRegistry.get(name).configuration();
        return conf.getVertices().values().stream().mapToLong(v -> v.numParams(false)).sum();
    }

    @Test
    void leNetIsTheCaffeVariantNotLeNet5() {
        // LeNet-5 has 61,706; DL4J's 20/50-filter, 500-unit Caffe net has twenty times as many.
        assertEquals(1_256_080, profile("dl4j-lenet").trainableParams());
        assertEquals(1_256_080, dl4jNumParams("dl4j-lenet"));
    }

    /** The configuration-only rewrite of a sequential net computes what the MultiLayerNetwork computes. */
    @Test
    void sequentialModelsBecomeEquivalentGraphs() {
        ModelOptions options = ModelRegistry.get("dl4j-lenet").defaultOptions();
        MultiLayerNetwork sequential = new MultiLayerNetwork(LeNet.builder().numClasses(10).seed(options.seed())
                .updater(options.updater()).build().conf());
        sequential.init();
        ComputationGraph graph = ModelRegistry.get("dl4j-lenet").build(options);
        graph.setParams(sequential.params());

        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28);
        INDArray expected = sequential.output(images.reshape(2, 28 * 28));
        assertEquals(expected, graph.outputSingle(images));
        assertEquals(sequential.numParams(), graph.numParams());
    }

    @Test
    void resNet50CountsDifferFromTorchvision() {
        // docs/reference-facts.md's 25,636,712 is DL4J's parameter table; 53,120 of it are BatchNorm running statistics.
        assertEquals(25_636_712, dl4jNumParams("dl4j-resnet50"));
        ModelProfile p = profile("dl4j-resnet50");
        // Trainable: 26,560 more than torchvision's 25,557,032, one bias per BatchNorm channel (its convs keep biases).
        assertEquals(25_583_592, p.trainableParams());
        assertEquals(25_557_032 + 26_560, p.trainableParams());
        assertEquals("1000", p.outputShape());
    }

    /**
     * The rest of DL4J's zoo at default input. Where DL4J follows a published model the counts match its reference
     * implementation (torchvision VGG-16 and SqueezeNet 1.1, Keras Xception's trainable count); MACs match
     * torchvision's GFLOPS column (VGG-16 15.47, VGG-19 19.63 less DL4J's missing fc7, SqueezeNet 1.1 0.35).
     */
    @Test
    void restOfTheZooAtDefaultInput() {
        assertCounts("dl4j-simplecnn", 649_946, 75_225_600L);
        assertCounts("dl4j-alexnet", 62_378_344, 1_131_457_664L);
        assertCounts("dl4j-vgg16", 138_357_544, 15_470_264_320L);
        // VGG-19 has 143,667,240: DL4J's lacks fc7, 4096 x 4096 + 4096 = 16,781,312 parameters and MACs.
        assertCounts("dl4j-vgg19", 143_667_240 - 16_781_312, 19_632_062_464L - 16_777_216L);
        assertCounts("dl4j-squeezenet", 1_235_496, 352_540_352L);
        assertCounts("dl4j-darknet19", 20_842_376, 2_790_989_824L);
        assertCounts("dl4j-xception", 22_855_952, 8_357_403_496L);
        // Per step: GravesLSTM 4(nIn + 256)256 + 3*256 peepholes, twice; softmax 256 x 47; 40 steps.
        assertCounts("dl4j-textgenlstm", 850_223, 40L * (4 * (47 + 256) * 256 + 768 + 4 * 512 * 256 + 768 + 256 * 47));
        assertEquals("47x40", profile("dl4j-textgenlstm").outputShape());
    }

    private static void assertCounts(String name, long params, long macs) {
        ModelProfile p = profile(name);
        assertEquals(params, p.trainableParams(), name + " params");
        assertEquals(macs, p.macs(), name + " MACs");
    }
}
