package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.EpochStats;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.MachineInfo;
import org.zoobench.experiments.results.Predictions;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.RunSpec;

import java.util.Map;

/** Finished runs made up for report tests: saved records whose test answers are right on the first ones. */
final class SyntheticRecords {

    static final double TRAIN_MARGIN = 5;

    private SyntheticRecords() {
    }

    /**
     * Saves a finished run of {@code spec} whose answers on {@code n} test examples are right for the first
     * {@code correct} of them, with {@code params} trainable parameters; returns its record.
     */
    static RunRecord save(ResultsStore store, RunSpec spec, int correct, int n, long params) {
        return save(store, spec, correct, n, 0, params);
    }

    /**
     * The same, right on the {@code correct} examples from {@code offset} on (wrapping around): two runs with
     * different offsets disagree on examples both ways, as real nets do, so their paired interval is wide. Its one
     * epoch scores {@link #TRAIN_MARGIN} points more on the training sample than on the test set.
     */
    static RunRecord save(ResultsStore store, RunSpec spec, int correct, int n, int offset, long params) {
        return save(store, spec, correct, n, offset, params, null);
    }

    /** The same, its stopping rule met at epoch {@code convergedAt} (null: not met, or none). */
    static RunRecord save(ResultsStore store, RunSpec spec, int correct, int n, int offset, long params,
                          Integer convergedAt) {
        int[] labels = new int[n];
        int[] top1 = new int[n];
        double[] top5 = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            top1[i] = Math.floorMod(i - offset, n) < correct ? labels[i] : (labels[i] + 1) % 10;
            top5[i] = 1;
        }
        double acc = 100.0 * correct / n;
        int saved = store.records().size();
        RunRecord r = RunRecord.builder().runId(spec.runId()).suite(spec.suite()).group(spec.group())
                .config(spec.config()).status(RunRecord.FINISHED).paramCount(params)
                .publishedParamCount(spec.publishedParamCount()).macs(1).top1(new Estimate(acc, acc - 2, acc + 2))
                .top5(new Estimate(100, 100, 100))
                .epochs(java.util.List.of(new EpochStats(1, 1, 1, Math.min(100, acc + TRAIN_MARGIN), 1, acc, 1, 1e-3)))
                .trainSamplesPerSec(1).inferSamplesPerSec(1).wallTimeSec(1).trainTimeSec(1).peakHeapBytes(1)
                .peakOffHeapBytes(1).peakPhysicalBytes(1)
                .machine(new MachineInfo("CPU", "CPU", "OPENBLAS", 2, 2, 2, "linux", "17", Map.of())).gitCommit("abc")
                .startedAt("2026-01-01T00:00:00Z").finishedAt("2026-01-01T00:00:0" + saved % 10 + "Z")
                .convergedAtEpoch(convergedAt).build();
        store.save(r, new Predictions(labels, top1, top5), null);
        return r;
    }
}
