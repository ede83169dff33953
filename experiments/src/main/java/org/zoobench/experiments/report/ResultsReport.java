package org.zoobench.experiments.report;

import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.EpochStats;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Statistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The table and figures every results directory gets: one row per model (group), seeds pooled. */
public final class ResultsReport {

    public static final String MARKDOWN = "results.md";
    public static final String PLOTS = "plots";
    /** Seed of the pooled-interval bootstrap, fixed so a rebuilt report equals the printed one. */
    static final long REPORT_BOOTSTRAP_SEED = 7;

    private ResultsReport() {
    }

    /** Runs grouped (in order of first appearance) and summarised over seeds. */
    public static List<SeedSummary> summarise(ResultsStore store, List<RunRecord> records,
                                              Function<RunRecord, String> groupOf) {
        Map<String, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : records) {
            groups.computeIfAbsent(groupOf.apply(r), g -> new ArrayList<>()).add(r);
        }
        int samples = records.stream().mapToInt(r -> r.config().bootstrapSamples()).max()
                .orElse(Bootstrap.DEFAULT_SAMPLES);
        Bootstrap bootstrap = new Bootstrap(samples, Bootstrap.DEFAULT_CONFIDENCE, REPORT_BOOTSTRAP_SEED);
        List<SeedSummary> summaries = new ArrayList<>();
        groups.forEach((g, runs) -> summaries.add(SeedSummary.of(g, runs, store::predictions, bootstrap)));
        return summaries;
    }

    public static String runsTable(List<SeedSummary> groups) {
        MarkdownTable table = new MarkdownTable("model", ">runs", ">params", ">MACs", ">top-1 % (mean ± std)",
                ">top-1 pooled 95% CI", ">top-5 %", ">train img/s", ">infer img/s", ">time to target",
                ">peak heap / off-heap MB", "status");
        for (SeedSummary g : groups) {
            RunRecord first = g.first();
            table.row(g.group(), g.runs().size(), String.format(Locale.ROOT, "%,d", first.paramCount()),
                    humanCount(first.macs()),
                    g.top1Pooled() == null ? "—" : pm(g.top1Mean(), g.top1Std()),
                    g.top1Pooled() == null ? "—" : interval(g.top1Pooled().low(), g.top1Pooled().high()),
                    g.top1Pooled() == null || Double.isNaN(g.top5Mean()) ? "—"
                            : String.format(Locale.ROOT, "%.1f", g.top5Mean()),
                    rate(mean(g.runs(), RunRecord::trainSamplesPerSec)),
                    rate(mean(g.runs(), RunRecord::inferSamplesPerSec)),
                    timeToTarget(g.runs()),
                    String.format(Locale.ROOT, "%d / %d", max(g.runs(), RunRecord::peakHeapBytes) >> 20,
                            max(g.runs(), RunRecord::peakOffHeapBytes) >> 20),
                    status(g));
        }
        return table.toString();
    }

    /** The generic report (for `zoobench train` directories): table, curves, params vs accuracy. */
    public static Report report(ResultsStore store, List<RunRecord> records) {
        List<SeedSummary> groups = summarise(store, records, recipeLabels(records));
        return new Report(runsTable(groups) + "\n" + legend(records), plots(groups, ""));
    }

    /**
     * Runs group by model and recipe (everything but the seed): the model's name where it was trained one way,
     * the name plus what differs (e.g. "lenet5 e5 b64 adam lr0.001 n2000", and "2 workers averaging" where
     * several trained it) where the directory holds several.
     */
    static Function<RunRecord, String> recipeLabels(List<RunRecord> records) {
        Map<String, java.util.Set<RunConfig>> recipes = new LinkedHashMap<>();
        records.forEach(r -> recipes.computeIfAbsent(r.model(), m -> new java.util.HashSet<>())
                .add(r.config().withSeed(0)));
        return r -> recipes.get(r.model()).size() == 1 ? r.model()
                : String.format(Locale.ROOT, "%s %s e%d b%d %s lr%s n%d%s", r.model(), r.config().dataset(),
                        r.config().epochs(), r.config().batchSize(), r.config().updater(), r.config().learningRate(),
                        r.config().trainLimit(), r.config().dataParallel() == null ? ""
                                : " " + r.config().workers() + " workers " + r.config().dataParallel().mode().id());
    }

    public static String legend(List<RunRecord> records) {
        String targets = records.stream().map(r -> String.format(Locale.ROOT, "%.0f%%", r.config().targetAccuracy()))
                .distinct().collect(java.util.stream.Collectors.joining(" / "));
        return String.format(Locale.ROOT, "top-1 mean ± std over seeds; pooled CI: percentile bootstrap over test "
                + "examples of the seed-averaged hit rate; time to target: training seconds until test top-1 "
                + "first reached %s (mean over runs that did); throughput excludes warm-up.%n",
                targets.isEmpty() ? "0%" : targets);
    }

    /** Every report's figures: test top-1 and loss curves, top-1 bars, params vs top-1; none if no run finished. */
    public static List<Figure> plots(List<SeedSummary> groups, String titlePrefix) {
        if (groups.stream().allMatch(g -> g.top1Pooled() == null)) {
            return List.of(); // nothing to draw (and XChart cannot draw a bar chart without bars)
        }
        return List.of(
                Plots.trainingCurves(groups, titlePrefix + "test top-1 per epoch (mean over seeds)", "test top-1 (%)",
                        EpochStats::testAccuracy, "curves_test_top1.png"),
                Plots.trainingCurves(groups, titlePrefix + "training loss per epoch (mean over seeds)",
                        "training loss (cross-entropy)", EpochStats::trainLoss, "curves_train_loss.png"),
                Plots.accuracyBars(groups, titlePrefix + "test top-1", "top1_bars.png"),
                Plots.paramsVsAccuracy(groups, titlePrefix + "parameters vs test top-1", "params_vs_top1.png"));
    }

    /** The bootstrap for {@link #pairedDelta}: as many resamples as the runs used, seeded so reports rebuild alike. */
    public static Bootstrap pairedBootstrap(List<RunRecord> records) {
        int samples = records.stream().mapToInt(r -> r.config().bootstrapSamples()).max()
                .orElse(Bootstrap.DEFAULT_SAMPLES);
        return new Bootstrap(samples, Bootstrap.DEFAULT_CONFIDENCE, 11);
    }

    /**
     * a's top-1 minus b's in percentage points, with the paired bootstrap interval over the test examples both
     * were scored on (seed-averaged hits); null where either has no finished run.
     */
    public static Estimate pairedDelta(SeedSummary a, SeedSummary b, Bootstrap bootstrap) {
        if (a.perExampleTop1() == null || b.perExampleTop1() == null) {
            return null;
        }
        double delta = Statistics.mean(a.perExampleTop1()) - Statistics.mean(b.perExampleTop1());
        return Estimate.percent(delta, bootstrap.difference(a.perExampleTop1(), b.perExampleTop1()));
    }

    /**
     * The one line for runs that all diverged: nothing to compare, but they are recorded and the table marks
     * them.
     */
    public static String allDiverged(ResultsStore store, List<RunRecord> runs) {
        RunRecord first = runs.get(0);
        return String.format(Locale.ROOT, "%s diverged (%s seed %d: %s); recorded and marked in %s; try a lower --lr"
                        + " or another --updater", runs.size() == 1 ? "the run" : "all " + runs.size() + " runs",
                first.model(), first.seed(), first.statusDetail(), store.dir().resolve(MARKDOWN));
    }

    static String status(SeedSummary g) {
        return g.diverged() == 0 ? "ok" : g.diverged() + " diverged";
    }

    static String pm(double mean, double std) {
        return String.format(Locale.ROOT, "%.1f ± %.1f", mean, std);
    }

    static String interval(double low, double high) {
        return String.format(Locale.ROOT, "[%.1f, %.1f]", low, high);
    }

    /** A throughput; a dash where there is none (a diverged run is never timed on the test set). */
    static String rate(double samplesPerSec) {
        return Double.isFinite(samplesPerSec) ? String.format(Locale.ROOT, "%.0f", samplesPerSec) : "—";
    }

    static String signed(double v) {
        return String.format(Locale.ROOT, "%+.1f", v);
    }

    static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fG", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        return Long.toString(n);
    }

    private static String timeToTarget(List<RunRecord> runs) {
        double[] reached = runs.stream().filter(r -> r.timeToTargetSec() != null)
                .mapToDouble(RunRecord::timeToTargetSec).toArray();
        if (reached.length == 0) {
            return "not reached";
        }
        String time = String.format(Locale.ROOT, "%.0f s", Statistics.mean(reached));
        return reached.length == runs.size() ? time : time + " (" + reached.length + "/" + runs.size() + ")";
    }

    private static double mean(List<RunRecord> runs, java.util.function.ToDoubleFunction<RunRecord> f) {
        return runs.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static long max(List<RunRecord> runs, java.util.function.ToLongFunction<RunRecord> f) {
        return runs.stream().mapToLong(f).max().orElse(0);
    }
}
