package org.zoobench.cluster;

import org.zoobench.experiments.results.Predictions;
import org.zoobench.experiments.results.RunRecord;

import java.io.Serializable;

/** What a task sends back to the driver: the run's record and its test predictions (null when it diverged). */
record TrainedRun(RunRecord record, Predictions predictions) implements Serializable {
}
