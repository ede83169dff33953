package org.zoobench.experiments.runner;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * The losses of ParallelWrapper's workers, told by every replica (on its own thread) after each of its steps, and
 * taken by the thread that feeds them once all workers are done with a step.
 */
final class WorkerLosses extends BaseTrainingListener {

    private double sum;
    private int count;
    private boolean notFinite;

    @Override
    public synchronized void iterationDone(Model model, int iteration, int epoch) {
        double loss = model.score();
        sum += loss;
        count++;
        notFinite |= !Double.isFinite(loss);
    }

    /** Whether a worker's loss has been NaN or infinite: no further step should start. */
    synchronized boolean notFinite() {
        return notFinite;
    }

    /** The step's loss, the mean of its workers' (their parts of the batch differ by one example at most). */
    synchronized double takeStepLoss() {
        if (count == 0) {
            throw new IllegalStateException("no worker reported a loss for the step");
        }
        double mean = sum / count;
        sum = 0;
        count = 0;
        return mean;
    }
}
