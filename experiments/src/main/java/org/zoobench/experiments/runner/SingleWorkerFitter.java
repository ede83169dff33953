package org.zoobench.experiments.runner;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The network fitted batch by batch on this thread: one worker, no ParallelWrapper. */
final class SingleWorkerFitter implements EpochFitter {

    private final ComputationGraph net;

    SingleWorkerFitter(ComputationGraph net) {
        this.net = net;
    }

    @Override
    public void fit(DataSetIterator batches, int epoch, StepMeter meter) {
        while (true) {
            long waitStart = System.nanoTime();
            if (!batches.hasNext()) {
                return;
            }
            DataSet batch = batches.next();
            long fitStart = System.nanoTime();
            net.fit(batch);
            double loss = net.score();
            long end = System.nanoTime();
            if (!meter.step(epoch, batch.numExamples(), fitStart - waitStart, end - waitStart, loss)) {
                return;
            }
        }
    }

    @Override
    public void close() {
        // nothing held beyond the network
    }
}
