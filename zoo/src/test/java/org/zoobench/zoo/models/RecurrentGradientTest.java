package org.zoobench.zoo.models;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.blocks.RecurrentBlocks.Cell;
import org.zoobench.zoo.blocks.RecurrentBlocks.Merge;
import org.zoobench.zoo.models.RecurrentClassifier.Head;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backpropagation through time checked against finite differences, in double precision on tiny stacks, with the
 * fast layers (the LSTM's OpenBLAS helper; DL4J's stock LSTM is compared with it in FastLayersTest).
 */
class RecurrentGradientTest {

    private static final int FEATURES = 2;
    private static final int STEPS = 4;
    private static final int BATCH = 3;
    private static final int CLASSES = 3;

    private static DataType previousType;

    @BeforeAll
    static void useDoubles() {
        previousType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restoreType() {
        Nd4j.setDefaultDataTypes(previousType, previousType);
    }

    /**
     * Every head and every merge mode, the stacked causal twin and the simple-RNN cell, each with and without a
     * mask (sequences of 4, 3 and 1 real steps).
     */
    static Stream<Arguments> configurations() {
        List<RecurrentClassifier> models = new ArrayList<>();
        for (Head head : Head.values()) {
            models.add(RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 1, 2, 0, head));
        }
        for (Merge merge : List.of(Merge.ADD, Merge.AVERAGE, Merge.MULTIPLY)) {
            models.add(RecurrentClassifier.bidirectional(Cell.LSTM, merge, 1, 2, 0, Head.PER_STEP));
        }
        models.add(RecurrentClassifier.unidirectional(Cell.LSTM, 2, 2, 0, Head.MAX));
        models.add(RecurrentClassifier.bidirectional(Cell.SIMPLE_RNN, Merge.CONCAT, 2, 2, 0, Head.PER_STEP));
        return models.stream().flatMap(m -> Stream.of(Arguments.of(m, false), Arguments.of(m, true)));
    }

    @ParameterizedTest(name = "{0}, masked={1}")
    @MethodSource("configurations")
    void gradientsMatchFiniteDifferences(RecurrentClassifier model, boolean masked) {
        ModelOptions options = ModelOptions.of(CLASSES, InputShape.sequence(FEATURES, STEPS))
                .withDataType(DataType.DOUBLE).withUpdater(new NoOp()).withSeed(7);
        ComputationGraph graph = new ComputationGraph(model.configuration(options));
        graph.init();
        LayerImpl.FAST.apply(graph);

        Nd4j.getRandom().setSeed(11);
        INDArray features = Nd4j.rand(DataType.DOUBLE, BATCH, FEATURES, STEPS).subi(0.5);
        INDArray mask = masked ? stepMask(new int[]{STEPS, 3, 1}) : null;
        boolean perStep = model.head() == Head.PER_STEP;
        INDArray labels = perStep ? Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES, STEPS)
                : Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES);
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < (perStep ? STEPS : 1); t++) {
                int c = (i + t) % CLASSES;
                if (perStep) {
                    labels.putScalar(i, c, t, 1.0);
                } else {
                    labels.putScalar(i, c, 1.0);
                }
            }
        }

        GradientCheckUtil.GraphConfig check = new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[]{features}).labels(new INDArray[]{labels})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                // Up to 6 entries of every parameter array: all arrays covered, cheap enough for CI.
                .subset(true).maxPerParam(6);
        if (masked) {
            check.inputMask(new INDArray[]{mask}).labelMask(new INDArray[]{perStep ? mask : null});
        }
        assertTrue(GradientCheckUtil.checkGradients(check), "gradient check failed for " + model);
    }

    /** [batch, time] mask: sequence i has lengths[i] real steps followed by padding. */
    static INDArray stepMask(int[] lengths) {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, lengths.length, STEPS);
        for (int i = 0; i < lengths.length; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                mask.putScalar(i, t, 1.0);
            }
        }
        return mask;
    }
}
