package org.zoobench.experiments.data;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.zoobench.UserInputException;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FutureContextTaskTest {

    private static final FutureContextTask TASK = FutureContextTask.DEFAULT;

    @Test
    void labelIsTheSymbolOffsetStepsAheadClampedAtTheEnd() {
        LoadedDataset data = TASK.generate(5, 2, 3);
        INDArray x = data.train().getFeatures().argMax(1);
        INDArray y = data.train().getLabels().argMax(1);
        for (int i = 0; i < 5; i++) {
            for (int t = 0; t < TASK.length(); t++) {
                assertEquals(x.getInt(i, Math.min(t + TASK.offset(), TASK.length() - 1)), y.getInt(i, t));
            }
        }
        assertEquals(List.of(5L, 4L, 16L), List.of(data.train().getFeatures().shape()[0],
                data.train().getFeatures().shape()[1], data.train().getFeatures().shape()[2]));
        assertEquals(TASK.generate(5, 2, 3).train().getFeatures(), data.train().getFeatures(), "seeded");
    }

    @Test
    void registeredUnderItsNameAtTheTaggersDefaultSize() {
        LoadedDataset data = Datasets.load("future-context", DataOptions.defaults().withLimit(10).withTestLimit(4));
        assertEquals(10, data.train().numExamples());
        for (String model : List.of("bilstm-tagger", "lstm-tagger", "birnn-tagger", "rnn-tagger")) {
            ModelEntry entry = ModelRegistry.get(model);
            assertEquals(data.shape(), entry.defaultInput(), model);
            assertEquals(data.numClasses(), entry.defaultClasses(), model);
        }
    }

    @Test
    void zeroLengthIsOneClearError() {
        UserInputException e = assertThrows(UserInputException.class, () -> new FutureContextTask(4, 0, 3));
        assertEquals("sequence length must be at least 1 step, got 0", e.getMessage());
    }

    /**
     * The point of the bidirectional model: same cell, same width, same training; only the backward direction
     * differs, and it lets the tagger read the future. The causal twin is bounded by {@link
     * FutureContextTask#causalCeiling()} (0.30 here) whatever it learns.
     */
    @Test
    void bidirectionalTaggerSolvesWhatItsCausalTwinCannot() {
        LoadedDataset data = TASK.generate(1600, 300, 1);
        double bidirectional = trainAndScore("bilstm-tagger", data);
        double causal = trainAndScore("lstm-tagger", data);
        System.out.printf("future-context per-step test accuracy: bilstm-tagger %.4f, lstm-tagger %.4f "
                + "(causal ceiling %.4f, chance %.4f)%n", bidirectional, causal, TASK.causalCeiling(),
                1.0 / TASK.symbols());
        assertTrue(bidirectional >= 0.90, "bidirectional accuracy " + bidirectional);
        assertTrue(causal < 0.65, "causal accuracy " + causal);
        assertTrue(causal > 1.0 / TASK.symbols() - 0.05, "causal model did not learn at all: " + causal);
    }

    private static double trainAndScore(String model, LoadedDataset data) {
        ModelEntry entry = ModelRegistry.get(model);
        ComputationGraph graph = entry.build(entry.defaultOptions().withUpdater(new Adam(0.02)).withSeed(5));
        for (int epoch = 0; epoch < 3; epoch++) {
            for (DataSet batch : data.train().batchBy(64)) {
                graph.fit(batch);
            }
        }
        INDArray predicted = graph.outputSingle(data.test().getFeatures()).argMax(1);
        INDArray truth = data.test().getLabels().argMax(1);
        return predicted.eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
    }
}
