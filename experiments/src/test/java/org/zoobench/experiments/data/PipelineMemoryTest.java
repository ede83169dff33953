package org.zoobench.experiments.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.zoo.InputShape;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An iterator must keep its data set's memory alive on its own: the batches are gathered from a view of the
 * arrays' native memory, and the pipeline and data set that held the arrays may be long gone (a run keeps only
 * its iterators). Reading freed memory gave corrupt batches and, at times, a SIGSEGV on the prefetch thread.
 */
class PipelineMemoryTest {

    private static final InputShape SEQUENCES = InputShape.sequence(4, 16);

    @Test
    void batchesStayIntactAfterThePipelineAndItsDataSetAreCollected() throws Exception {
        Nd4j.getRandom().setSeed(3);
        DataSet expected = new DataSet(Nd4j.rand(DataType.FLOAT, 300, 4, 16), Nd4j.rand(DataType.FLOAT, 300, 4, 16));
        PipelineIterator test = iteratorOverACopyOf(expected);
        List<INDArray> churn = new ArrayList<>();
        for (int round = 0; round < 20; round++) { // let the collector free the copy and reuse its memory
            System.gc();
            Thread.sleep(20);
            churn.add(Nd4j.valueArrayOf(new long[]{300, 4, 16}, 7f, DataType.FLOAT));
        }
        test.reset();
        DataSet first = test.next();
        test.close();
        assertEquals(expected.getFeatures().get(NDArrayIndex.interval(0, 100)),
                first.getFeatures());
        assertEquals(expected.getLabels().get(NDArrayIndex.interval(0, 100)),
                first.getLabels());
        assertEquals(20, churn.size());
    }

    /** The only references to the copy are the ones the returned iterator keeps. */
    private static PipelineIterator iteratorOverACopyOf(DataSet data) {
        LoadedDataset copy = new LoadedDataset("copy", data.copy(), data.copy(), SEQUENCES,
                List.of("a", "b", "c", "d"));
        return DataPipeline.builder(copy, SEQUENCES).batchSize(100).prefetch(0).build().test();
    }
}
