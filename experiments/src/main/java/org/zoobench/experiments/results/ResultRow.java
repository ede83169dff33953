package org.zoobench.experiments.results;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flat row written to results.csv and results.jsonl: timm's column names where timm has one
 * ({@code model, param_count, top1, top5, train_samples_per_sec, infer_samples_per_sec, img_size, batch_size}),
 * ours for the rest.
 */
public final class ResultRow {

    public static final List<String> COLUMNS = List.of(
            "model", "param_count", "top1", "top1_low", "top1_high", "top5", "top5_low", "top5_high",
            "train_samples_per_sec", "infer_samples_per_sec", "img_size", "batch_size", "workers", "worker_mode",
            "run_id", "suite", "group", "status", "dataset", "seed", "epochs", "updater", "lr", "lr_schedule",
            "train_limit", "test_limit", "macs", "imagenet_param_count", "final_train_loss", "final_test_loss",
            "wall_time_sec", "train_time_sec", "target_top1", "time_to_target_sec", "data_loading_share",
            "peak_heap_mb", "peak_offheap_mb", "peak_rss_mb", "layers", "backend", "device", "blas", "threads", "cores",
            "git_commit", "finished_at");

    private ResultRow() {
    }

    public static Map<String, Object> of(RunRecord r) {
        RunConfig c = r.config();
        EpochStats last = r.epochs().isEmpty() ? null : r.epochs().get(r.epochs().size() - 1);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", c.model());
        row.put("param_count", r.paramCount());
        row.put("top1", r.top1() == null ? null : round(r.top1().value()));
        row.put("top1_low", r.top1() == null ? null : round(r.top1().low()));
        row.put("top1_high", r.top1() == null ? null : round(r.top1().high()));
        row.put("top5", r.top5() == null ? null : round(r.top5().value()));
        row.put("top5_low", r.top5() == null ? null : round(r.top5().low()));
        row.put("top5_high", r.top5() == null ? null : round(r.top5().high()));
        row.put("train_samples_per_sec", round(r.trainSamplesPerSec()));
        row.put("infer_samples_per_sec", round(r.inferSamplesPerSec()));
        row.put("img_size", c.input().toString());
        row.put("batch_size", c.batchSize());
        row.put("workers", c.workers());
        row.put("worker_mode", c.dataParallel() == null ? null : c.dataParallel().mode().id());
        row.put("run_id", r.runId());
        row.put("suite", r.suite());
        row.put("group", r.group());
        row.put("status", r.status());
        row.put("dataset", c.dataset());
        row.put("seed", c.seed());
        row.put("epochs", c.epochs());
        row.put("updater", c.updater().id());
        row.put("lr", c.learningRate());
        row.put("lr_schedule", c.scheduleInWords());
        row.put("train_limit", c.trainLimit());
        row.put("test_limit", c.testLimit());
        row.put("macs", r.macs());
        row.put("imagenet_param_count", r.publishedParamCount());
        row.put("final_train_loss", last == null ? null : round(last.trainLoss()));
        row.put("final_test_loss", last == null ? null : round(last.testLoss()));
        row.put("wall_time_sec", round(r.wallTimeSec()));
        row.put("train_time_sec", round(r.trainTimeSec()));
        row.put("target_top1", c.targetAccuracy());
        row.put("time_to_target_sec", r.timeToTargetSec() == null ? null : round(r.timeToTargetSec()));
        row.put("data_loading_share", round(r.dataLoadingShare()));
        row.put("peak_heap_mb", r.peakHeapBytes() / (1 << 20));
        row.put("peak_offheap_mb", r.peakOffHeapBytes() / (1 << 20));
        row.put("peak_rss_mb", r.peakPhysicalBytes() / (1 << 20));
        row.put("layers", c.layers().id());
        row.put("backend", r.machine().backend());
        row.put("device", r.machine().device());
        row.put("blas", r.machine().blasVendor());
        row.put("threads", r.machine().ompThreads());
        row.put("cores", r.machine().cores());
        row.put("git_commit", r.gitCommit());
        row.put("finished_at", r.finishedAt());
        if (!row.keySet().equals(new java.util.LinkedHashSet<>(COLUMNS))) {
            throw new IllegalStateException("result row columns out of step with COLUMNS");
        }
        return row;
    }

    private static Double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        return Math.round(v * 10000.0) / 10000.0;
    }
}
