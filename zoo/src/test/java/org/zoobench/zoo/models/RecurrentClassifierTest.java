package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.SequenceBatches;
import org.zoobench.zoo.blocks.RecurrentBlocks.Cell;
import org.zoobench.zoo.blocks.RecurrentBlocks.Merge;
import org.zoobench.zoo.models.RecurrentClassifier.Head;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecurrentClassifierTest {

    private static final int FEATURES = 5;
    private static final int CLASSES = 4;

    private static ComputationGraph build(RecurrentClassifier model, int steps) {
        ComputationGraph graph = new ComputationGraph(model.configuration(
                ModelOptions.of(CLASSES, InputShape.sequence(FEATURES, steps)).withSeed(3)));
        graph.init();
        return graph;
    }

    @ParameterizedTest
    @EnumSource(Head.class)
    void batchFeaturesTimeInRightShapeOut(Head head) {
        for (RecurrentClassifier model : List.of(
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 2, 6, 0.3, head),
                RecurrentClassifier.bidirectional(Cell.SIMPLE_RNN, Merge.ADD, 1, 6, 0, head),
                RecurrentClassifier.unidirectional(Cell.LSTM, 2, 6, 0, head))) {
            ComputationGraph graph = build(model, 7);
            // Recurrent layers take any length: the nominal 7 steps and 9 both work.
            for (int steps : new int[]{7, 9}) {
                INDArray out = graph.outputSingle(Nd4j.rand(DataType.FLOAT, 3, FEATURES, steps));
                long[] expected = head == Head.PER_STEP ? new long[]{3, CLASSES, steps} : new long[]{3, CLASSES};
                assertArrayEquals(expected, out.shape(), model + " at " + steps + " steps");
            }
        }
    }

    /** Sequences of 5 and 3 real steps padded with noise to 8 must give what they give alone, unpadded. */
    @ParameterizedTest
    @EnumSource(Head.class)
    void paddingDoesNotChangeTheRealSteps(Head head) {
        int[] lengths = {5, 3};
        int padded = 8;
        for (RecurrentClassifier model : List.of(
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 2, 6, 0, head),
                RecurrentClassifier.bidirectional(Cell.SIMPLE_RNN, Merge.AVERAGE, 2, 6, 0, head),
                RecurrentClassifier.unidirectional(Cell.LSTM, 2, 6, 0, head))) {
            ComputationGraph graph = build(model, padded);
            Nd4j.getRandom().setSeed(17);
            INDArray features = Nd4j.rand(DataType.FLOAT, lengths.length, FEATURES, padded).muli(3);
            INDArray mask = Nd4j.zeros(DataType.FLOAT, lengths.length, padded);
            for (int i = 0; i < lengths.length; i++) {
                mask.get(NDArrayIndex.point(i), NDArrayIndex.interval(0, lengths[i])).assign(1);
            }
            INDArray batched = graph.output(false, new INDArray[]{features}, new INDArray[]{mask}, null)[0];
            for (int i = 0; i < lengths.length; i++) {
                INDArray alone = graph.outputSingle(features.get(NDArrayIndex.interval(i, i + 1),
                        NDArrayIndex.all(), NDArrayIndex.interval(0, lengths[i])).dup());
                INDArray fromBatch = head == Head.PER_STEP
                        ? batched.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                        NDArrayIndex.interval(0, lengths[i]))
                        : batched.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all());
                assertTrue(alone.equalsWithEps(fromBatch, 1e-5), model + ", sequence " + i + ": " + alone
                        + " alone vs " + fromBatch + " padded");
            }
        }
    }

    /** DL4J's LSTM, per direction: four gates, each with input weights, recurrent weights and a bias. */
    private static long lstmParams(long nIn, long n) {
        return 4 * (nIn * n + n * n + n);
    }

    private static long simpleRnnParams(long nIn, long n) {
        return nIn * n + n * n + n;
    }

    /** Multiply-accumulates per step and direction: the same weight matrices applied to [x_t, h_{t-1}]. */
    private static long lstmMacsPerStep(long nIn, long n) {
        return 4 * (nIn + n) * n;
    }

    private static long simpleRnnMacsPerStep(long nIn, long n) {
        return (nIn + n) * n;
    }

    /**
     * Closed forms for a registered model: a stack of {@code depth} layers of {@code width} units per direction
     * over F features and T steps, then a C-way linear head, applied at every step except by the last-step head.
     */
    private static void assertClosedForm(String name, Cell cell, boolean bidirectional, Merge merge, int depth,
                                         int width, Head head) {
        ModelEntry entry = ModelRegistry.get(name);
        InputShape.Sequence input = (InputShape.Sequence) entry.defaultInput();
        long f = input.features();
        long steps = input.length();
        long classes = entry.defaultClasses();
        long directions = bidirectional ? 2 : 1;
        long outWidth = bidirectional && merge == Merge.CONCAT ? 2L * width : width;
        long params = 0;
        long macs = 0;
        for (int k = 0; k < depth; k++) {
            long nIn = k == 0 ? f : outWidth;
            params += directions * (cell == Cell.LSTM ? lstmParams(nIn, width) : simpleRnnParams(nIn, width));
            macs += directions * steps
                    * (cell == Cell.LSTM ? lstmMacsPerStep(nIn, width) : simpleRnnMacsPerStep(nIn, width));
        }
        params += (outWidth + 1) * classes;
        macs += outWidth * classes * (head == Head.LAST ? 1 : steps);

        ModelProfile profile = ModelProfile.of(entry, entry.defaultOptions());
        System.out.printf("%-20s params %,9d  MACs %,12d%n", name, profile.trainableParams(), profile.macs());
        assertEquals(params, profile.trainableParams(), name + " trainable params");
        assertEquals(macs, profile.macs(), name + " MACs");
        assertEquals(params, entry.build(entry.defaultOptions()).numParams(), name + " DL4J numParams");
    }

    @Test
    void registeredModelsMatchTheClosedForms() {
        for (Head head : List.of(Head.MAX, Head.MEAN, Head.LAST)) {
            String suffix = "-" + head.name().toLowerCase();
            assertClosedForm("bilstm" + suffix, Cell.LSTM, true, Merge.CONCAT, 2, 64, head);
            assertClosedForm("lstm" + suffix, Cell.LSTM, false, Merge.CONCAT, 2, 64, head);
        }
        assertClosedForm("bilstm-max-add", Cell.LSTM, true, Merge.ADD, 2, 64, Head.MAX);
        assertClosedForm("bilstm-max-average", Cell.LSTM, true, Merge.AVERAGE, 2, 64, Head.MAX);
        assertClosedForm("bilstm-max-multiply", Cell.LSTM, true, Merge.MULTIPLY, 2, 64, Head.MAX);
        assertClosedForm("birnn-max", Cell.SIMPLE_RNN, true, Merge.CONCAT, 2, 64, Head.MAX);
        assertClosedForm("rnn-max", Cell.SIMPLE_RNN, false, Merge.CONCAT, 2, 64, Head.MAX);
        assertClosedForm("bilstm-tagger", Cell.LSTM, true, Merge.CONCAT, 1, 32, Head.PER_STEP);
        assertClosedForm("lstm-tagger", Cell.LSTM, false, Merge.CONCAT, 1, 32, Head.PER_STEP);
        assertClosedForm("birnn-tagger", Cell.SIMPLE_RNN, true, Merge.CONCAT, 1, 32, Head.PER_STEP);
        assertClosedForm("rnn-tagger", Cell.SIMPLE_RNN, false, Merge.CONCAT, 1, 32, Head.PER_STEP);
    }

    @Test
    void configurationSurvivesJson() {
        ComputationGraphConfiguration conf = ModelRegistry.get("bilstm-max").configuration();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
    }

    @Test
    void everyBidirectionalEntryHasItsCausalTwin() {
        List<String> names = ModelRegistry.names();
        long bidirectional = names.stream().filter(n -> n.startsWith("bilstm-") || n.startsWith("birnn-"))
                .peek(n -> {
                    String twin = n.substring(2).replaceAll("-(add|average|multiply)$", "");
                    assertTrue(names.contains(twin), n + " has no causal twin " + twin);
                }).count();
        assertEquals(9, bidirectional);
    }

    @Test
    void sequenceLengthZeroIsOneClearError() {
        UserInputException e = assertThrows(UserInputException.class, () -> SequenceBatches.check(
                InputShape.sequence(28, 28), Nd4j.zeros(DataType.FLOAT, 2, 28, 0), null));
        assertEquals("sequence length is 0: every sequence needs at least one time step", e.getMessage());
    }

    @Test
    void featureMismatchIsOneClearError() {
        UserInputException e = assertThrows(UserInputException.class, () -> SequenceBatches.check(
                (InputShape.Sequence) ModelRegistry.get("bilstm-max").defaultInput(),
                Nd4j.zeros(DataType.FLOAT, 2, 32, 28), null));
        assertEquals("the data has 32 features per step but the model reads 28 (input 28x28)", e.getMessage());
    }

    @Test
    void maskOfTheWrongShapeIsOneClearError() {
        UserInputException e = assertThrows(UserInputException.class, () -> SequenceBatches.check(
                InputShape.sequence(28, 28), Nd4j.zeros(DataType.FLOAT, 2, 28, 28),
                Nd4j.ones(DataType.FLOAT, 2, 27)));
        assertEquals("the mask has shape [2, 27] but this batch needs [batch, time] = [2, 28]", e.getMessage());
    }

    @Test
    void aMatchingBatchPasses() {
        SequenceBatches.check(InputShape.sequence(28, 28), Nd4j.zeros(DataType.FLOAT, 2, 28, 20),
                Nd4j.ones(DataType.FLOAT, 2, 20));
    }

    @Test
    void imageInputIsRefusedInOneLine() {
        ModelEntry entry = ModelRegistry.get("bilstm-max");
        UserInputException e = assertThrows(UserInputException.class,
                () -> entry.configuration(entry.defaultOptions().withInput(InputShape.image(1, 28, 28))));
        assertTrue(e.getMessage().startsWith("recurrent models read sequences"), e.getMessage());
    }
}
