package org.zoobench.zoo.models;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the model tests ask of every classifier in the zoo, whatever its architecture. */
final class ClassifierAssertions {

    private ClassifierAssertions() {
    }

    /** The net gives one softmax row over the options' classes per example of a random batch. */
    static void assertClassifies(ComputationGraph net, ModelOptions options, int batch) {
        INDArray out = net.outputSingle(Nd4j.rand(options.input().batchShape(batch)));
        assertArrayEquals(new long[]{batch, options.numClasses()}, out.shape());
        INDArray rowSums = out.sum(1);
        for (int i = 0; i < batch; i++) {
            assertEquals(1.0, rowSums.getDouble(i), 1e-4, "softmax rows sum to 1");
        }
    }

    /** A registered model defaults to this input and number of classes, and built so it classifies a batch. */
    static void assertClassifiesByDefault(String name, InputShape input, int classes, int batch) {
        ModelEntry entry = ModelRegistry.get(name);
        assertEquals(input, entry.defaultInput());
        assertEquals(classes, entry.defaultClasses());
        assertClassifies(entry.build(entry.defaultOptions()), entry.defaultOptions(), batch);
    }
}
