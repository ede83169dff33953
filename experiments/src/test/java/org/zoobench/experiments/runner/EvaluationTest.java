package org.zoobench.experiments.runner;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.experiments.data.FutureContextTask;
import org.zoobench.experiments.data.LoadedDataset;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.blocks.Graphs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evaluation of per-step labellers and sequence classifiers (the image case is covered by TrainerTest). */
class EvaluationTest {

    @Test
    void perStepScoresBecomeOneRowPerSequenceAndStep() {
        // [2 sequences, 3 classes, 2 steps]; value = 100*sequence + 10*class + step
        INDArray scores = Nd4j.create(DataType.FLOAT, 2, 3, 2);
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < 2; t++) {
                    scores.putScalar(new long[]{i, c, t}, 100 * i + 10 * c + t);
                }
            }
        }
        float[][] rows = Evaluation.perPrediction(scores);
        assertEquals(4, rows.length);
        assertArrayEquals(new float[]{0, 10, 20}, rows[0]);
        assertArrayEquals(new float[]{1, 11, 21}, rows[1]);
        assertArrayEquals(new float[]{100, 110, 120}, rows[2]);
        assertArrayEquals(new float[]{101, 111, 121}, rows[3]);
    }

    @Test
    void perStepLabelsCountEveryRealStepAndTop5IsBlankWithFourClasses() {
        FutureContextTask task = FutureContextTask.DEFAULT;
        LoadedDataset data = task.generate(8, 6, 5);
        ModelEntry tagger = ModelRegistry.get("lstm-tagger");
        ComputationGraph net = tagger.build(tagger.defaultOptions());
        DataSet test = data.test();
        // Mask out the last 4 steps of sequence 0: those steps are not predictions.
        INDArray labelsMask = Nd4j.ones(DataType.FLOAT, 6, task.length());
        for (int t = task.length() - 4; t < task.length(); t++) {
            labelsMask.putScalar(0, t, 0);
        }
        test.setLabelsMaskArray(labelsMask);
        Evaluation eval = Evaluation.of(net, new ListDataSetIterator<>(test.asList(), 4));

        int predictions = 6 * task.length() - 4;
        assertEquals(predictions, eval.predictions().size());
        INDArray expectedLabels = data.test().getLabels().argMax(1); // [6, 16]
        assertEquals(expectedLabels.getInt(0, 0), eval.predictions().labels()[0]);
        assertEquals(expectedLabels.getInt(1, 0), eval.predictions().labels()[task.length() - 4],
                "sequence 1 follows sequence 0's 12 real steps");
        assertTrue(Double.isNaN(eval.top5()), "top-5 of 4 classes is meaningless");
        Bootstrap bootstrap = Bootstrap.standard(1);
        assertNull(eval.top5Estimate(bootstrap));
        assertNotNull(eval.top1Estimate(bootstrap));
        assertTrue(eval.top1() > 0 && eval.top1() < 1 && eval.loss() > 0);
        assertTrue(eval.samplesPerSec() > 0);
    }

    @Test
    void maxOverTimeHeadEvaluatesBatchesOfAnotherSizeThanTheLastFit() {
        // DL4J's graph keeps the last fit's labels and takes its batch size from them; the max-over-time head
        // unfolds [batch*time, classes] with that size, which broke evaluation after training on batch 3.
        ModelEntry entry = ModelRegistry.get("lstm-max");
        InputShape.Sequence rows = InputShape.sequence(28, 6);
        ComputationGraph net = entry.build(entry.defaultOptions().withInput(rows));
        net.fit(sequences(3, rows, 1));
        Evaluation eval = Evaluation.of(net, new ListDataSetIterator<>(sequences(5, rows, 2).asList(), 5));
        assertEquals(5, eval.predictions().size());
        assertTrue(eval.top5() >= eval.top1(), "10 classes: top-5 is reported");
        assertNotNull(eval.top5Estimate(Bootstrap.standard(1)));
    }

    private static DataSet sequences(int n, InputShape.Sequence shape, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.FLOAT, n, shape.features(), shape.length());
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, i % 10, 1);
        }
        return new DataSet(features, labels);
    }

    @Test
    void tiesInTheTop5CountAsARandomTieBreakWouldGiveThem() {
        float[] saturated = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0}; // softmax driven to one class, the rest exactly 0
        assertEquals(1.0, Evaluation.topKHit(saturated, 2, 5));
        assertEquals(4.0 / 9, Evaluation.topKHit(saturated, 7, 5), 1e-12, "4 of the 9 tied ranks are in the top 5");
        float[] flat = new float[10];
        assertEquals(0.5, Evaluation.topKHit(flat, 3, 5), 1e-12);
        float[] distinct = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        assertEquals(1.0, Evaluation.topKHit(distinct, 4, 5));
        assertEquals(0.0, Evaluation.topKHit(distinct, 5, 5));
        float[] nan = {Float.NaN, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(0.0, Evaluation.topKHit(nan, 0, 5));
    }

    @Test
    void saturatedOutputsNoLongerScoreAPerfectTop5() {
        // A net whose output ignores its input and puts all mass on class 0 (as Adam at lr 1e6 leaves it).
        var graph = Graphs.start(ModelOptions.of(10, InputShape.image(1, 2, 2)));
        ComputationGraph net = new ComputationGraph(Graphs.classifier(graph, Graphs.INPUT, 10).build());
        net.init();
        net.params().assign(0);
        net.getLayer(Graphs.OUTPUT).setParam("b", Nd4j.create(new float[]{100, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1, 10));
        INDArray features = Nd4j.rand(DataType.FLOAT, 100, 1, 2, 2);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 100, 10);
        for (int i = 0; i < 100; i++) {
            labels.putScalar(i, i % 10, 1);
        }
        Evaluation eval = Evaluation.of(net, new ListDataSetIterator<>(new DataSet(features, labels).asList(), 50));
        assertEquals(0.1, eval.top1(), 1e-9);
        assertEquals(0.1 + 0.9 * 4.0 / 9, eval.top5(), 1e-6, "not 100%: the 9 classes at 0 share 4 places");
    }
}
