package org.zoobench.benchmarks;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.zoobench.benchmarks.BenchResults.LayerRow;
import org.zoobench.benchmarks.BenchResults.ModelRow;
import org.zoobench.benchmarks.BenchResults.ParallelRow;
import org.zoobench.benchmarks.BenchResults.Pass;
import org.zoobench.benchmarks.BenchResults.Peak;
import org.zoobench.device.CpuPeak;
import org.zoobench.zoo.Numbers;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Joins JMH's results with the forks' facts into {@link BenchResults}, and renders them as CSV and Markdown. */
public final class BenchReport {

    private static final double MB = 1024.0 * 1024.0;

    private BenchReport() {
    }

    /** The best sgemm of this run, the fastest iteration over all sizes, or null when none was measured. */
    public static Peak peak(List<JmhResult> results) {
        List<JmhResult> sgemms = results.stream().filter(r -> r.benchmarkClass().equals("PeakBenchmark")).toList();
        List<Integer> sizes = sgemms.stream().map(r -> Integer.parseInt(r.param("n"))).toList();
        return sgemms.stream().map(r -> {
            int n = Integer.parseInt(r.param("n"));
            double bestMs = Double.isNaN(r.fastest()) ? r.score() : r.fastest();
            return new Peak(n, r.score(), r.scoreError(), PeakBenchmark.flops(n) / (bestMs * 1e6), sizes);
        }).max(Comparator.comparingDouble(Peak::gflops)).orElse(null);
    }

    /** One row per planned (model, batch): what JMH measured, or why it has no figures. */
    public static List<ModelRow> modelRows(List<String> models, List<Integer> batches, List<JmhResult> results,
                                           List<ModelRunFacts> facts, CpuPeak peak) {
        Map<String, ModelRunFacts> factsByKey = facts.stream()
                .collect(Collectors.toMap(ModelRunFacts::key, Function.identity(), (a, b) -> b));
        List<ModelRow> rows = new ArrayList<>();
        for (String model : models) {
            for (int batch : batches) {
                Optional<ModelRunFacts> inferFacts = Optional.ofNullable(
                        factsByKey.get(ModelRunFacts.key(ModelBenchmark.INFERENCE, model, batch)));
                Optional<ModelRunFacts> trainFacts = Optional.ofNullable(
                        factsByKey.get(ModelRunFacts.key(ModelBenchmark.TRAINING, model, batch)));
                Optional<ModelRunFacts> any = inferFacts.or(() -> trainFacts);
                long macs = any.map(ModelRunFacts::forwardMacs).orElse(0L);
                rows.add(new ModelRow(model, any.map(ModelRunFacts::input).orElse(""), batch,
                        any.map(ModelRunFacts::params).orElse(0L), macs,
                        pass(find(results, ModelBenchmark.INFERENCE, model, batch), inferFacts, batch, macs, 1, peak),
                        pass(find(results, ModelBenchmark.TRAINING, model, batch), trainFacts, batch, macs,
                                BenchResults.TRAINING_FORWARD_EQUIVALENTS, peak),
                        any.map(ModelRunFacts::convPath).orElse("")));
            }
        }
        return rows;
    }

    /**
     * One row per planned (model, batch, workers) of the data-parallel stage where the batch can be split among
     * the workers, with its speed-up over the same model and batch trained on one worker ({@code models}: the
     * single-worker rows of the same run).
     */
    public static List<ParallelRow> parallelRows(List<ModelRow> models, List<Integer> workers, String mode,
                                                 List<JmhResult> results, CpuPeak peak) {
        List<ParallelRow> rows = new ArrayList<>();
        for (ModelRow single : models) {
            for (int count : workers.stream().filter(w -> w <= single.requestedBatch()).toList()) {
                Optional<JmhResult> result = results.stream()
                        .filter(r -> r.benchmarkClass().equals("ParallelTrainingBenchmark")
                                && single.model().equals(r.param("model"))
                                && String.valueOf(single.requestedBatch()).equals(r.param("batch"))
                                && String.valueOf(count).equals(r.param("workers"))).findFirst();
                Pass training = pass(result, Optional.empty(), single.requestedBatch(), single.forwardMacs(),
                        BenchResults.TRAINING_FORWARD_EQUIVALENTS, peak);
                // the single-worker pass may have stepped down to a smaller batch: then there is nothing to compare
                boolean comparable = single.training().ok() && single.training().batch() == single.requestedBatch();
                rows.add(new ParallelRow(single.model(), single.requestedBatch(), count, mode, training,
                        comparable && training.ok()
                                ? training.imagesPerSecond() / single.training().imagesPerSecond() : Double.NaN));
            }
        }
        return rows;
    }

    private static Optional<JmhResult> find(List<JmhResult> results, String pass, String model, int batch) {
        return results.stream().filter(r -> r.benchmarkClass().equals("ModelBenchmark") && r.method().equals(pass)
                && model.equals(r.param("model")) && String.valueOf(batch).equals(r.param("batch"))).findFirst();
    }

    private static Pass pass(Optional<JmhResult> result, Optional<ModelRunFacts> facts, int requestedBatch,
                             long forwardMacs, int forwardEquivalents, CpuPeak peak) {
        List<Integer> oom = facts.map(ModelRunFacts::oomBatches).orElse(List.of());
        String oomReason = facts.map(ModelRunFacts::oomReason).orElse("");
        if (result.isEmpty()) {
            boolean outOfMemory = facts.isPresent() && facts.get().batch() == 0;
            return new Pass(outOfMemory ? "oom" : "failed", 0, oom, oomReason, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN,
                    facts.map(ModelRunFacts::peakRssBytes).orElse(0L), 0, false);
        }
        JmhResult r = result.get();
        int batch = facts.map(ModelRunFacts::batch).orElse(requestedBatch);
        double imagesPerSecond = batch / (r.score() / 1000.0);
        double gflops = forwardMacs > 0 ? 2.0 * forwardEquivalents * forwardMacs * imagesPerSecond / 1e9 : Double.NaN;
        double percent = peak != null ? 100.0 * gflops / peak.gflops() : Double.NaN;
        return new Pass("ok", batch, oom, oomReason, r.score(), r.percentile(50.0), r.percentile(90.0), r.percentile(99.0),
                r.samples(), imagesPerSecond, gflops, percent, facts.map(ModelRunFacts::peakRssBytes).orElse(0L),
                facts.map(ModelRunFacts::warmUpSeconds).orElse(0.0), facts.map(ModelRunFacts::jitQuiet).orElse(false));
    }

    /** @param stockPath and nativePath: what stock layers and libnd4j's conv2d run here ({@link ConvPath}) */
    public static List<LayerRow> layerRows(List<JmhResult> results, String stockPath, String nativePath) {
        List<LayerRow> rows = new ArrayList<>();
        for (JmhResult r : results) {
            String impl = switch (r.benchmarkClass()) {
                case "StockLayerBenchmark" -> "stock";
                case "NativeConvBenchmark" -> "native";
                default -> null;
            };
            if (impl == null) {
                continue;
            }
            LayerCase c = LayerCase.byId(r.param("layerCase"));
            long macs = r.method().equals("backward") ? c.backwardMacs() : c.shape().forwardMacs();
            double gflops = macs > 0 ? 2.0 * macs / (r.score() * 1e6) : Double.NaN;
            double err = Double.isNaN(r.scoreError()) ? 0 : r.scoreError();
            double low = macs > 0 ? 2.0 * macs / ((r.score() + err) * 1e6) : Double.NaN;
            double high = macs > 0 && r.score() > err ? 2.0 * macs / ((r.score() - err) * 1e6) : Double.NaN;
            rows.add(new LayerRow(c.id(), c.description(), c.shape().toString(), impl, r.method(), r.score(),
                    r.scoreError(), macs, gflops, low, high, r.forks(), r.measurementIterations(),
                    c.shape().kind() != LayerCase.Kind.CONV ? "" : impl.equals("stock") ? stockPath : nativePath));
        }
        return rows;
    }

    // ---- CSV -------------------------------------------------------------------------------------------------

    /** timm's benchmark columns first (same names and units), then ZooBench's own. */
    static final String[] MODEL_COLUMNS = {
            "model", "infer_samples_per_sec", "infer_step_time", "infer_batch_size",
            "train_samples_per_sec", "train_step_time", "train_batch_size", "param_count", "infer_gmacs",
            "input", "requested_batch", "params",
            "infer_p50_ms", "infer_p90_ms", "infer_p99_ms", "infer_samples", "infer_gflops", "infer_pct_peak",
            "infer_peak_rss_mb", "infer_status", "infer_oom_batches",
            "train_p50_ms", "train_p90_ms", "train_p99_ms", "train_samples", "train_gflops", "train_pct_peak",
            "train_peak_rss_mb", "train_status", "train_oom_batches",
            "peak_sgemm_gflops", "backend", "blas", "threads", "conv_path", "fp32_peak_gflops"};

    public static String modelCsv(BenchResults results) throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(MODEL_COLUMNS).build())) {
            BenchEnvironment env = results.environment();
            for (ModelRow row : results.models()) {
                Pass i = row.inference();
                Pass t = row.training();
                csv.printRecord(row.model(), num(i.imagesPerSecond(), 2), num(i.meanMs(), 3), i.batch(),
                        num(t.imagesPerSecond(), 2), num(t.meanMs(), 3), t.batch(),
                        num(row.params() / 1e6, 2), num(row.forwardMacs() / 1e9, 6),
                        row.input(), row.requestedBatch(), row.params(),
                        num(i.p50Ms(), 3), num(i.p90Ms(), 3), num(i.p99Ms(), 3), i.samples(), num(i.gflops(), 2),
                        num(i.percentOfPeak(), 2), num(i.peakRssBytes() / MB, 0), i.status(), joined(i.oomBatches()),
                        num(t.p50Ms(), 3), num(t.p90Ms(), 3), num(t.p99Ms(), 3), t.samples(), num(t.gflops(), 2),
                        num(t.percentOfPeak(), 2), num(t.peakRssBytes() / MB, 0), t.status(), joined(t.oomBatches()),
                        results.peak() == null ? "" : num(results.peak().gflops(), 2),
                        env.backend(), env.blasVendor(), env.threads(), row.convPath(),
                        results.cpuPeak() == null ? "" : num(results.cpuPeak().gflops(), 1));
            }
        }
        return out.toString();
    }

    static final String[] PARALLEL_COLUMNS = {"model", "batch_size", "workers", "worker_mode",
            "train_samples_per_sec", "train_step_time", "train_p50_ms", "train_p90_ms", "train_p99_ms", "train_samples",
            "train_gflops", "train_pct_peak", "speedup_over_one_worker", "train_status", "backend"};

    public static String parallelCsv(BenchResults results) throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(PARALLEL_COLUMNS).build())) {
            for (ParallelRow r : results.parallel()) {
                Pass t = r.training();
                csv.printRecord(r.model(), r.batch(), r.workers(), r.mode(), num(t.imagesPerSecond(), 2),
                        num(t.meanMs(), 3), num(t.p50Ms(), 3), num(t.p90Ms(), 3), num(t.p99Ms(), 3), t.samples(),
                        num(t.gflops(), 2), num(t.percentOfPeak(), 2), num(r.speedup(), 2), t.status(),
                        results.environment().backend());
            }
        }
        return out.toString();
    }

    static final String[] LAYER_COLUMNS = {"layer", "description", "shape", "impl", "pass", "ms", "ms_error_99_9",
            "gflops", "gflops_low", "gflops_high", "forks", "iterations", "backend", "conv_path"};

    public static String layerCsv(BenchResults results) throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(LAYER_COLUMNS).build())) {
            for (LayerRow r : results.layers()) {
                csv.printRecord(r.layerCase(), r.description(), r.shape(), r.impl(), r.pass(), num(r.meanMs(), 4),
                        num(r.errorMs(), 4), num(r.gflops(), 2), num(r.gflopsLow(), 2), num(r.gflopsHigh(), 2),
                        r.forks(), r.iterations(), results.environment().backend(), r.convPath());
            }
        }
        return out.toString();
    }

    // ---- Markdown --------------------------------------------------------------------------------------------

    public static String markdown(BenchResults results) {
        StringBuilder md = new StringBuilder();
        BenchEnvironment env = results.environment();
        md.append("Environment: ").append(env.summary()).append('\n');
        md.append("Load average (1 / 5 / 15 min) on ").append(env.cores()).append(" cores: ")
                .append(results.loadBefore()).append(" at start, ").append(results.loadAfter()).append(" at end\n");
        md.append("libnd4j build: ").append(env.buildInfo().replaceAll("\\s+", " ")).append("; loaded from ")
                .append(env.nativeLibrary()).append('\n');
        CpuPeak cpu = results.cpuPeak();
        md.append(cpu == null ? "Peak: no theoretical peak for this device, so no \"% peak\"\n"
                : String.format(Locale.ROOT, "Peak: %.1f GFLOP/s FP32 in theory, %s: the 100%% of \"%% peak\"%n",
                cpu.gflops(), cpu.describe()));
        if (results.peak() != null) {
            Peak p = results.peak();
            md.append(String.format(Locale.ROOT, "Best sgemm through ND4J: %.1f GFLOP/s%s, the fastest iteration of n = "
                    + "%s (at %dx%d: mean %.2f ms%s)%n", p.gflops(),
                    cpu == null ? "" : String.format(Locale.ROOT, " (%.1f%% of the peak)", 100 * p.gflops() / cpu.gflops()),
                    p.sizes() == null ? String.valueOf(p.n())
                            : p.sizes().stream().map(String::valueOf).collect(Collectors.joining(", ")), p.n(), p.n(),
                    p.meanMs(), Double.isNaN(p.errorMs()) ? "" : " ± " + num(p.errorMs(), 2)));
        }
        md.append("Command: `").append(results.command()).append("` (started ").append(results.startedAt())
                .append(results.commit() == null ? "" : ", commit " + results.commit()).append(")\n\n");
        if (!results.models().isEmpty()) {
            md.append(modelTable(results.models()));
            md.append(oomNotes(results.models()));
            md.append(warmUpNote(results.models()));
            md.append("\nGFLOP/s = 2 x forward MACs x img/s; a training step is counted as 3 forward passes' MACs. "
                    + "ms: mean step time, then P50 / P90 / P99 over all sampled steps. "
                    + "Peak RSS: the benchmark JVM's resident memory high-water mark.\n\n");
        }
        if (!results.parallel().isEmpty()) {
            md.append(parallelTable(results.parallel()));
            md.append("\nData-parallel training (`--workers`): ParallelWrapper's workers, one per device (GPU), or "
                    + "sharing the cores on the CPU; each step's batch split among them as in `train --workers`, "
                    + "replicas brought back in step after every step (batches smaller than the workers are left out). "
                    + "Speed-up: img/s over the same model and batch on one worker (the training column above).\n\n");
        }
        if (!results.peers().isEmpty()) {
            md.append(peerSection(results)).append('\n');
        }
        if (!results.layers().isEmpty()) {
            md.append(layerTable(results.layers()));
            md.append(convPaths(results.layers()));
            md.append("\nms: JMH mean ± 99.9% confidence half-width over forks x iterations. GFLOP/s = 2 x MACs / time; "
                    + "backward = input gradient + weight gradient (2 x forward MACs); the stock convolution's "
                    + "backward also recomputes its forward im2col product, which is not counted. "
                    + "Batch norm is memory-bound: no FLOP figure.\n");
        }
        return md.toString();
    }

    static String modelTable(List<ModelRow> rows) {
        StringBuilder md = new StringBuilder();
        md.append("| model | input | batch | infer img/s | infer ms (P50 / P90 / P99) | infer GFLOP/s (% peak) "
                + "| train img/s | train ms (P50 / P90 / P99) | train GFLOP/s (% peak) | params | peak RSS MB "
                + "| convolutions |\n");
        md.append("|---|---|---|---:|---|---:|---:|---|---:|---:|---:|---|\n");
        for (ModelRow r : rows) {
            md.append("| ").append(r.model()).append(" | ").append(r.input()).append(" | ")
                    .append(batchCell(r)).append(" | ")
                    .append(passCells(r.inference())).append(" | ")
                    .append(passCells(r.training())).append(" | ")
                    .append(Numbers.grouped(r.params())).append(" | ")
                    .append(num(Math.max(r.inference().peakRssBytes(), r.training().peakRssBytes()) / MB, 0))
                    .append(" | ").append(r.convPath()).append(" |\n");
        }
        return md.toString();
    }

    static String parallelTable(List<ParallelRow> rows) {
        StringBuilder md = new StringBuilder();
        md.append("| model | batch | workers | mode | train img/s | train ms (P50 / P90 / P99) "
                + "| train GFLOP/s (% peak) | speed-up over 1 worker |\n");
        md.append("|---|---:|---:|---|---:|---|---:|---:|\n");
        for (ParallelRow r : rows) {
            md.append("| ").append(r.model()).append(" | ").append(r.batch()).append(" | ").append(r.workers())
                    .append(" | ").append(r.mode()).append(" | ").append(passCells(r.training())).append(" | ")
                    .append(Double.isNaN(r.speedup()) ? "—" : num(r.speedup(), 2) + "x").append(" |\n");
        }
        return md.toString();
    }

    /** One line per pass that did not run at the requested batch, saying why. */
    static String oomNotes(List<ModelRow> rows) {
        StringBuilder notes = new StringBuilder();
        for (ModelRow r : rows) {
            for (Pass p : List.of(r.inference(), r.training())) {
                if (!p.oomBatches().isEmpty()) {
                    String which = p == r.inference() ? "inference" : "training";
                    notes.append("\nOut of memory: ").append(r.model()).append(' ').append(which).append(" at batch ")
                            .append(joined(p.oomBatches())).append(p.ok() ? ", ran at " + p.batch() : ", nothing fitted")
                            .append(" (").append(p.oomReason()).append(")\n");
                }
            }
        }
        return notes.toString();
    }

    /**
     * How long the passes that ran warmed up until the JIT was quiet (per pass kind, the range), and which were not
     * quiet within the cap; or that there was no such warm-up, so the figures include the JIT's.
     */
    static String warmUpNote(List<ModelRow> rows) {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        List<String> notQuiet = new ArrayList<>();
        for (ModelRow r : rows) {
            for (Pass p : List.of(r.inference(), r.training())) {
                String which = p == r.inference() ? "inference" : "training";
                if (p.ok() && p.warmUpSeconds() > 0) {
                    seconds.computeIfAbsent(which, k -> new ArrayList<>()).add(p.warmUpSeconds());
                    if (!p.jitQuiet()) {
                        notQuiet.add(r.model() + " " + which + " at batch " + p.batch());
                    }
                }
            }
        }
        if (seconds.isEmpty()) {
            return "\nWarmed up by JMH's iterations only, not until the JIT was quiet: the figures include HotSpot "
                    + "compiling the steps' Java code (docs/benchmarks.md, JIT warm-up).\n";
        }
        StringBuilder note = new StringBuilder("\nJIT warm-up: before JMH's warm-up each pass ran until HotSpot's "
                + "compilers were quiet (" + JitWarmUp.QUIET_WINDOWS + " windows of " + JitWarmUp.WINDOW_MS / 1000
                + " s in a row compiling under " + Math.round(JitWarmUp.QUIET_SHARE * 100)
                + "% of the time; docs/benchmarks.md, JIT warm-up): ");
        note.append(seconds.entrySet().stream().map(e -> e.getKey() + " " + range(e.getValue()) + " s")
                .collect(Collectors.joining(", ")));
        if (!notQuiet.isEmpty()) {
            note.append("; not quiet within the cap, so timed with the JIT still compiling: ")
                    .append(String.join(", ", notQuiet));
        }
        return note.append(".\n").toString();
    }

    private static String range(List<Double> values) {
        long low = Math.round(Collections.min(values));
        long high = Math.round(Collections.max(values));
        return low == high ? String.valueOf(low) : low + "–" + high;
    }

    private static String batchCell(ModelRow r) {
        StringBuilder cell = new StringBuilder(String.valueOf(r.requestedBatch()));
        for (Pass p : List.of(r.inference(), r.training())) {
            if (p.ok() && p.batch() != r.requestedBatch()) {
                String which = p == r.inference() ? "infer" : "train";
                cell.append(" (").append(which).append(" OOM, ran ").append(p.batch()).append(')');
            }
        }
        return cell.toString();
    }

    private static String passCells(Pass p) {
        if (!p.ok()) {
            String why = p.status().equals("oom") ? "out of memory at every batch size" : "failed (see JMH log)";
            return why + " | | ";
        }
        return String.format(Locale.ROOT, "%s | %s (%s / %s / %s) | %s (%s%%)", num(p.imagesPerSecond(), 1),
                num(p.meanMs(), 2), num(p.p50Ms(), 2), num(p.p90Ms(), 2), num(p.p99Ms(), 2), num(p.gflops(), 2),
                num(p.percentOfPeak(), 2));
    }

    /**
     * ZooBench beside PyTorch, one row per (model, batch), with the ratios of their img/s, and how PyTorch was
     * timed: {@code peers.md}, and a section of {@code results.md}.
     */
    public static String peerSection(BenchResults results) {
        StringBuilder md = new StringBuilder();
        md.append("| model | input | batch | ZooBench train / infer img/s | PyTorch train / infer img/s "
                + "| ZooBench ÷ PyTorch train / infer |\n");
        md.append("|---|---|---:|---:|---:|---:|\n");
        for (PyTorchPeer.Row peer : results.peers()) {
            Optional<ModelRow> zoo = results.models().stream().filter(m -> m.model().equals(peer.model())
                    && m.requestedBatch() == peer.batch()).findFirst();
            Pass train = zoo.map(ModelRow::training).orElse(null);
            Pass infer = zoo.map(ModelRow::inference).orElse(null);
            md.append("| ").append(peer.model()).append(" | ").append(peer.input()).append(" | ")
                    .append(zoo.map(BenchReport::batchCell).orElse(String.valueOf(peer.batch()))).append(" | ")
                    .append(rate(train)).append(" / ").append(rate(infer)).append(" | ");
            if (!peer.ok()) {
                md.append("failed: ").append(peer.failure()).append(" | — |\n");
                continue;
            }
            md.append(peerRate(peer.training())).append(" / ").append(peerRate(peer.inference())).append(" | ")
                    .append(ratio(train, peer.training(), peer.batch())).append(" / ")
                    .append(ratio(infer, peer.inference(), peer.batch()))
                    .append(" |\n");
        }
        results.peers().stream().filter(PyTorchPeer.Row::ok).findFirst().ifPresent(p -> md.append(String.format(
                Locale.ROOT, "%nPyTorch %s, torch.set_num_threads(%d), the same nets (trainable parameters checked "
                        + "equal to ZooBench's), random data: a training step is forward, cross-entropy, backward and "
                        + "an Adam update (lr 1e-3, the zoo's default updater, on both sides); inference an eval-mode "
                        + "forward under no_grad. img/s: median over %d timed stretches after as long a warm-up as "
                        + "JMH's on ZooBench's side (PyTorch's eager mode compiles nothing as it runs; ZooBench's side "
                        + "first ran until its JIT was quiet, as noted above), "
                        + "lowest–highest in brackets.%n", p.torch(),
                p.threads(), p.training().stretches().size())));
        return md.toString();
    }

    private static String rate(Pass p) {
        return p != null && p.ok() ? imagesPerSecond(p.imagesPerSecond()) : "—";
    }

    private static String peerRate(PyTorchPeer.Pass p) {
        return imagesPerSecond(p.imagesPerSecond()) + " (" + imagesPerSecond(p.imagesPerSecondLow()) + "–"
                + imagesPerSecond(p.imagesPerSecondHigh()) + ")";
    }

    /** One decimal below 100, whole and grouped from there, as the comparison tables write them: 9.6, 222, 17,394. */
    static String imagesPerSecond(double v) {
        return v >= 100 ? Numbers.grouped(Math.round(v)) : num(v, 1);
    }

    /** Only where ZooBench ran the requested batch: a stepped-down batch is not the same work. */
    private static String ratio(Pass zoo, PyTorchPeer.Pass peer, int batch) {
        if (zoo == null || !zoo.ok() || zoo.batch() != batch) {
            return "—";
        }
        return num(zoo.imagesPerSecond() / peer.imagesPerSecond(), 2);
    }

    /** Stock layer and native op side by side for each (case, pass). */
    static String layerTable(List<LayerRow> rows) {
        StringBuilder md = new StringBuilder();
        md.append("| layer | shape (batch first) | pass | stock DL4J ms | stock GFLOP/s | native op ms "
                + "| native GFLOP/s | native speed-up |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|\n");
        for (LayerCase c : LayerCase.values()) {
            for (String pass : List.of("forward", "backward")) {
                Optional<LayerRow> stock = layer(rows, c, "stock", pass);
                Optional<LayerRow> nat = layer(rows, c, "native", pass);
                if (stock.isEmpty() && nat.isEmpty()) {
                    continue;
                }
                md.append("| ").append(c.id()).append(" | ").append(c.shape()).append(" | ").append(pass)
                        .append(" | ").append(stock.map(BenchReport::msCell).orElse("—"))
                        .append(" | ").append(stock.map(BenchReport::gflopsCell).orElse("—"))
                        .append(" | ").append(nat.map(BenchReport::msCell).orElse("—"))
                        .append(" | ").append(nat.map(BenchReport::gflopsCell).orElse("—"))
                        .append(" | ").append(stock.isPresent() && nat.isPresent()
                                ? num(stock.get().meanMs() / nat.get().meanMs(), 2) + "x" : "—")
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    /** Which code ran the stock layers' and the native ops' convolutions. */
    static String convPaths(List<LayerRow> rows) {
        String paths = rows.stream().filter(r -> !r.convPath().isEmpty()).map(r -> r.impl() + ": " + r.convPath())
                .distinct().collect(Collectors.joining("; "));
        return paths.isEmpty() ? "" : "\nConvolutions ran on " + paths + ".\n";
    }

    private static Optional<LayerRow> layer(List<LayerRow> rows, LayerCase c, String impl, String pass) {
        return rows.stream().filter(r -> r.layerCase().equals(c.id()) && r.impl().equals(impl)
                && r.pass().equals(pass)).findFirst();
    }

    private static String msCell(LayerRow r) {
        return num(r.meanMs(), 3) + (Double.isNaN(r.errorMs()) ? "" : " ± " + num(r.errorMs(), 3));
    }

    private static String gflopsCell(LayerRow r) {
        if (Double.isNaN(r.gflops())) {
            return "n/a";
        }
        return num(r.gflops(), 1) + " (" + num(r.gflopsLow(), 1) + "–" + num(r.gflopsHigh(), 1) + ")";
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String joined(List<Integer> sizes) {
        return sizes.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
}
