package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.junit.jupiter.api.Test;
import org.zoobench.zoo.ModelEntry;
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

    @Test
    void resNet50CountsDifferFromTorchvision() {
        // REFERENCE.md's 25,636,712 is DL4J's parameter table; 53,120 of it are BatchNorm running statistics.
        assertEquals(25_636_712, dl4jNumParams("dl4j-resnet50"));
        ModelProfile p = profile("dl4j-resnet50");
        // Trainable: 26,560 more than torchvision's 25,557,032, one bias per BatchNorm channel (its convs keep biases).
        assertEquals(25_583_592, p.trainableParams());
        assertEquals(25_557_032 + 26_560, p.trainableParams());
        assertEquals("1000", p.outputShape());
    }
}
