package org.zoobench.experiments.results;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.Serializable;
import java.util.List;

/**
 * Everything recorded about one training run. Accuracies are in percent. Serializable, as is all it holds: a Spark
 * executor sends it back to the driver.
 *
 * @param status            {@link #FINISHED} or {@link #DIVERGED} (loss became NaN or infinite; training stopped)
 * @param top1              test top-1 with its bootstrap interval; null for a diverged run
 * @param top5              test top-5 likewise; also null where the task has at most 5 classes (meaningless)
 * @param publishedParamCount trainable params of the same architecture at its published config (ImageNet for the
 *                          AlexNet ablation, the paper's for the architectures suite), where the suite defines one,
 *                          else 0; named "imagenetParamCount" in record.json and "imagenet_param_count" in
 *                          results.csv, as records have always named it
 * @param trainSamplesPerSec training throughput, warm-up steps excluded
 * @param inferSamplesPerSec inference throughput on the test set, warm-up batch excluded
 * @param dataLoadingShare  fraction of training step time spent waiting for the next batch
 * @param timeToTargetSec   training seconds until test top-1 first reached the config's target, null if never
 * @param peakHeapBytes     peak JVM heap in use, sampled during the run
 * @param peakOffHeapBytes  peak off-heap memory held by ND4J/JavaCPP buffers
 * @param peakPhysicalBytes peak resident memory of the whole process
 * @param layerFallbacks    native layer calls that failed and ran DL4J's Java implementation instead (0 when every
 *                          call ran natively, and always 0 for stock layers)
 * @param convergedAtEpoch  the epoch at which the config's stopping rule ended training (test top-1 within
 *                          {@link RunConfig#stopWithin()} points of the epoch before, both after the schedule's last
 *                          division); null where it has no rule or the rule was not met within its epochs
 * @param trainingSetTop1   top-1 on every training example after the last epoch, evaluated as the test set is
 *                          (inference mode, no crops or flips), with its bootstrap interval: the final training error
 *                          of a run trained until converged (a config with a stopping rule); null for other runs,
 *                          diverged ones, and runs saved before it was measured whose model is gone
 */
public record RunRecord(String runId, String suite, String group, RunConfig config, String status, String statusDetail,
                        long paramCount, @JsonProperty("imagenetParamCount") long publishedParamCount, long macs,
                        Estimate top1, Estimate top5, List<EpochStats> epochs,
                        double trainSamplesPerSec, double inferSamplesPerSec, double dataLoadingShare,
                        double wallTimeSec, double trainTimeSec, Double timeToTargetSec,
                        long peakHeapBytes, long peakOffHeapBytes, long peakPhysicalBytes,
                        MachineInfo machine, String gitCommit, String startedAt, String finishedAt,
                        long layerFallbacks, Integer convergedAtEpoch, Estimate trainingSetTop1)
        implements Serializable {

    public static final String FINISHED = "finished";
    public static final String DIVERGED = "diverged";

    public boolean diverged() {
        return DIVERGED.equals(status);
    }

    public String model() {
        return config.model();
    }

    public long seed() {
        return config.seed();
    }

    /** This record with {@code top1} as its training-set top-1. */
    public RunRecord withTrainingSetTop1(Estimate top1) {
        return new RunRecord(runId, suite, group, config, status, statusDetail, paramCount, publishedParamCount, macs,
                this.top1, top5, epochs, trainSamplesPerSec, inferSamplesPerSec, dataLoadingShare, wallTimeSec,
                trainTimeSec, timeToTargetSec, peakHeapBytes, peakOffHeapBytes, peakPhysicalBytes, machine, gitCommit,
                startedAt, finishedAt, layerFallbacks, convergedAtEpoch, top1);
    }

    /** Whether the run should have a training-set top-1 and has none (saved before it was measured). */
    public boolean lacksTrainingSetTop1() {
        return trainingSetTop1 == null && !diverged() && config.stopWithin() > 0;
    }

    /** A record built by name; unset, a component has the default of its type. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a record by name. */
    public static final class Builder {
        private String runId;
        private String suite;
        private String group;
        private RunConfig config;
        private String status;
        private String statusDetail;
        private long paramCount;
        private long publishedParamCount;
        private long macs;
        private Estimate top1;
        private Estimate top5;
        private List<EpochStats> epochs;
        private double trainSamplesPerSec;
        private double inferSamplesPerSec;
        private double dataLoadingShare;
        private double wallTimeSec;
        private double trainTimeSec;
        private Double timeToTargetSec;
        private long peakHeapBytes;
        private long peakOffHeapBytes;
        private long peakPhysicalBytes;
        private MachineInfo machine;
        private String gitCommit;
        private String startedAt;
        private String finishedAt;
        private long layerFallbacks;
        private Integer convergedAtEpoch;
        private Estimate trainingSetTop1;

        private Builder() {
        }

        public Builder runId(String v) { runId = v; return this; }
        public Builder suite(String v) { suite = v; return this; }
        public Builder group(String v) { group = v; return this; }
        public Builder config(RunConfig v) { config = v; return this; }
        public Builder status(String v) { status = v; return this; }
        public Builder statusDetail(String v) { statusDetail = v; return this; }
        public Builder paramCount(long v) { paramCount = v; return this; }
        public Builder publishedParamCount(long v) { publishedParamCount = v; return this; }
        public Builder macs(long v) { macs = v; return this; }
        public Builder top1(Estimate v) { top1 = v; return this; }
        public Builder top5(Estimate v) { top5 = v; return this; }
        public Builder epochs(List<EpochStats> v) { epochs = v; return this; }
        public Builder trainSamplesPerSec(double v) { trainSamplesPerSec = v; return this; }
        public Builder inferSamplesPerSec(double v) { inferSamplesPerSec = v; return this; }
        public Builder dataLoadingShare(double v) { dataLoadingShare = v; return this; }
        public Builder wallTimeSec(double v) { wallTimeSec = v; return this; }
        public Builder trainTimeSec(double v) { trainTimeSec = v; return this; }
        public Builder timeToTargetSec(Double v) { timeToTargetSec = v; return this; }
        public Builder peakHeapBytes(long v) { peakHeapBytes = v; return this; }
        public Builder peakOffHeapBytes(long v) { peakOffHeapBytes = v; return this; }
        public Builder peakPhysicalBytes(long v) { peakPhysicalBytes = v; return this; }
        public Builder machine(MachineInfo v) { machine = v; return this; }
        public Builder gitCommit(String v) { gitCommit = v; return this; }
        public Builder startedAt(String v) { startedAt = v; return this; }
        public Builder finishedAt(String v) { finishedAt = v; return this; }
        public Builder layerFallbacks(long v) { layerFallbacks = v; return this; }
        public Builder convergedAtEpoch(Integer v) { convergedAtEpoch = v; return this; }
        public Builder trainingSetTop1(Estimate v) { trainingSetTop1 = v; return this; }

        public RunRecord build() {
            return new RunRecord(runId, suite, group, config, status, statusDetail, paramCount, publishedParamCount,
                    macs, top1, top5, epochs, trainSamplesPerSec, inferSamplesPerSec, dataLoadingShare, wallTimeSec,
                    trainTimeSec, timeToTargetSec, peakHeapBytes, peakOffHeapBytes, peakPhysicalBytes, machine,
                    gitCommit, startedAt, finishedAt, layerFallbacks, convergedAtEpoch, trainingSetTop1);
        }
    }
}
