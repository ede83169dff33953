package org.zoobench.experiments.results;

import java.io.Serializable;

/**
 * One epoch of a run. {@code fitLoss} is the mean minibatch loss the optimiser saw (dropout on);
 * train and test loss/accuracy (percent) are measured after the epoch in inference mode, the training
 * figures on a fixed sample of the training set. {@code trainSeconds} is the cumulative pure training time;
 * {@code learningRate} the rate the epoch trained at (0 in records written before it was kept).
 */
public record EpochStats(int epoch, double fitLoss, double trainLoss, double trainAccuracy,
                         double testLoss, double testAccuracy, double trainSeconds, double learningRate)
        implements Serializable {
}
