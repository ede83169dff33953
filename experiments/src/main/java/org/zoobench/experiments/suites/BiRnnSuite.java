package org.zoobench.experiments.suites;

import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.data.FutureContextTask;
import org.zoobench.experiments.report.MarkdownTable;
import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.report.SeedSummary;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.suites.SuiteOptions.DataChoice;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.zoobench.UserInputException;

/**
 * Causal against bidirectional recurrent nets (Schuster & Paliwal 1997), each pair the same cell, widths and
 * recipe: on the future-context task, where the label at step t is the symbol shown 3 steps later (a causal
 * net can do no better than {@link FutureContextTask#causalCeiling()}), scored per step; and on an image data set
 * (Fashion-MNIST unless told otherwise) read row by row, classified by max over time, scored top-1.
 */
public final class BiRnnSuite extends Suite {

    public static final String NAME = "birnn";
    static final int BOOTSTRAP_SAMPLES = Bootstrap.DEFAULT_SAMPLES;

    /** One comparison: a task, a bidirectional net and its registered causal twin, trained with one recipe. */
    record Pair(String task, String dataset, InputShape input, int classes, String metric, String bidirectional,
                Recipe full, Recipe quick) {
        String causal() {
            return ModelRegistry.get(bidirectional).twin();
        }

        String group(String model) {
            return task + ": " + model;
        }

        Recipe recipe(boolean quick) {
            return quick ? this.quick : full;
        }

        /** Per seed, the bidirectional net, then its causal twin. */
        List<RunSpec> runs(Recipe r) {
            return r.runs(NAME, List.of(net(bidirectional), net(causal())), BOOTSTRAP_SAMPLES);
        }

        private Recipe.Net net(String model) {
            return new Recipe.Net(group(model), model, dataset, input, ResizeMode.BILINEAR, classes, 0);
        }
    }

    static final Pair FUTURE_CONTEXT = new Pair("future context", "future-context",
            InputShape.sequence(FutureContextTask.DEFAULT.symbols(), FutureContextTask.DEFAULT.length()),
            FutureContextTask.DEFAULT.symbols(), "per-step top-1", "bilstm-tagger",
            adam(1e-2).trainLimit(20_000).testLimit(5_000).epochs(10).batch(32).seeds(2).target(90).build(),
            adam(1e-2).trainLimit(4_000).testLimit(1_000).epochs(3).batch(32).target(90).build());
    static final Recipe ROWS_FULL = adam(1e-3).epochs(10).batch(128).seeds(2).target(88).build();
    static final Recipe ROWS_QUICK = adam(1e-3).trainLimit(2_000).testLimit(1_000).epochs(2).batch(32).target(75)
            .build();

    /** Both tasks train with Adam; only the rate differs. */
    private static Recipe.Builder adam(double lr) {
        return Recipe.builder().updater(Updater.ADAM).lr(lr);
    }

    /** The image task on {@code data}: each image read as one step per row, classified by max over time. */
    static Pair rows(DataChoice data) {
        if (!(data.shape() instanceof InputShape.Image shape)) {
            throw new UserInputException(NAME + " reads images row by row, not sequences (" + data.shape() + ")");
        }
        return new Pair(data.name() + " rows", data.name() + Datasets.ROWS_SUFFIX,
                InputShape.sequence(shape.channels() * shape.width(), shape.height()), data.classes(), "top-1",
                "bilstm-max", ROWS_FULL, ROWS_QUICK);
    }

    static final Pair ROWS = rows(DataChoice.FASHION_MNIST);

    public BiRnnSuite() {
        super(NAME, "causal vs bidirectional LSTMs on the future-context task and on images read row by row");
    }

    @Override
    public SuitePlan plan(SuiteOptions options) {
        options.requireMiniScaleOwnInput(NAME);
        boolean quick = options.quick();
        List<RunSpec> runs = new ArrayList<>();
        List<String> recipes = new ArrayList<>();
        List<String> cuts = new ArrayList<>();
        for (Pair p : List.of(FUTURE_CONTEXT, rows(options.data()))) {
            Recipe r = p.recipe(quick);
            runs.addAll(p.runs(r));
            recipes.add(String.format(Locale.ROOT, "%s (%s vs %s, %s): %s, %s", p.task(), p.bidirectional(),
                    p.causal(), p.dataset(), p.metric(), r.describe()));
            cuts.add(p.task() + ": " + p.quick().cutsFrom(p.full()));
        }
        String recipe = String.join("; ", recipes) + ". Each twin pair shares cell, widths and recipe; only the "
                + "backward direction differs";
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "future-context scores every (sequence, step) as one prediction; a "
                        + "causal net cannot beat %.1f%% per step there (it sees the label's symbol only at the last "
                        + "step), chance is %.1f%%.", 100 * FutureContextTask.DEFAULT.causalCeiling(),
                100.0 / FutureContextTask.DEFAULT.symbols()));
        if (quick) {
            notes.add("--quick cuts: " + String.join("; ", cuts) + ".");
        }
        return new SuitePlan(runs, recipe, notes);
    }

    /** A measured pair: the seed-pooled top-1 of each twin and their paired difference, in percent. */
    record Comparison(Pair pair, String task, Estimate bidirectional, Estimate causal, Estimate delta) {
    }

    @Override
    public Report report(ResultsStore store, List<RunRecord> records) {
        List<SeedSummary> groups = ResultsReport.summarise(store, records, RunRecord::group);
        // Twins are found by model (each pair's are unique to it); the rows task is named after the data it ran on.
        Map<String, SeedSummary> byModel = groups.stream()
                .collect(Collectors.toMap(g -> g.first().model(), Function.identity(), (a, b) -> a));
        Bootstrap paired = ResultsReport.pairedBootstrap(records);

        MarkdownTable table = new MarkdownTable("task", "metric", "bidirectional", ">params", ">accuracy % [95% CI]",
                "causal twin", ">params", ">accuracy % [95% CI]", ">Δ bi − causal [95% CI]");
        List<Comparison> measured = new ArrayList<>();
        for (Pair p : List.of(FUTURE_CONTEXT, ROWS)) {
            SeedSummary bi = byModel.get(p.bidirectional());
            SeedSummary causal = byModel.get(p.causal());
            if (bi == null || causal == null) {
                continue;
            }
            String task = bi.group().substring(0, bi.group().lastIndexOf(": "));
            Estimate delta = ResultsReport.pairedDelta(bi, causal, paired);
            table.row(task, p.metric(), p.bidirectional(), count(bi), accuracy(bi), p.causal(), count(causal),
                    accuracy(causal), delta == null ? "—" : delta.formatSigned());
            if (delta != null) {
                measured.add(new Comparison(p, task, bi.top1Pooled(), causal.top1Pooled(), delta));
            }
        }
        StringBuilder out = new StringBuilder(table.toString()).append('\n');
        out.append("accuracy: seed-averaged hit rate with its percentile bootstrap interval; Δ: paired bootstrap over "
                + "the same test predictions. For future context a prediction is one (sequence, step), resampled "
                + "independently, so its intervals are narrower than a per-sequence resample would give.\n\n");
        out.append(verdict(measured, 100 * FutureContextTask.DEFAULT.causalCeiling())).append('\n');
        out.append("All runs:\n").append(ResultsReport.runsTable(groups)).append('\n');
        out.append(ResultsReport.legend(records));
        out.append("img/s columns count sequences; top-5 is blank for the 4-class future-context task.\n");
        return new Report(out.toString(), ResultsReport.plots(groups, "causal vs bidirectional: "));
    }

    /**
     * The claim to check: on future context the bidirectional net clearly beats its causal twin (the paired
     * interval lies above 0) and gets past {@code causalCeiling}, which no causal net can; on the rows, whatever
     * the difference is, said plainly. Each line states its power, the half-width of the paired 95% interval: an
     * interval containing 0 is "no detectable effect", not evidence of none.
     */
    static String verdict(List<Comparison> measured, double causalCeiling) {
        StringBuilder out = new StringBuilder("Does seeing the future help?\n");
        Comparison future = measured.stream().filter(c -> c.pair() == FUTURE_CONTEXT).findFirst().orElse(null);
        Comparison rows = measured.stream().filter(c -> c.pair() == ROWS).findFirst().orElse(null);
        boolean clearly = false;
        if (future != null) {
            boolean above = future.delta().low() > 0;
            boolean pastCeiling = future.bidirectional().low() > causalCeiling;
            clearly = above && pastCeiling;
            out.append(String.format(Locale.ROOT, "- future context, per-step accuracy: bidirectional %.1f vs causal "
                            + "%.1f, Δ %s, smallest detectable ±%.1f: bidirectional better with 95%% confidence: %s%n",
                    future.bidirectional().value(), future.causal().value(), future.delta().formatSigned(),
                    future.delta().halfWidth(), above ? "HOLDS"
                            : future.delta().high() < 0 ? "does NOT hold" : "no detectable effect"));
            out.append(String.format(Locale.ROOT, "- future context: bidirectional past the causal ceiling (%.1f%%, "
                    + "the best expected per-step accuracy without the future; causal measured %.1f%%), interval "
                    + "entirely above it: %s%n", causalCeiling, future.causal().value(),
                    pastCeiling ? "HOLDS" : "does NOT hold"));
        } else {
            out.append("- future context: not both twins finished\n");
        }
        if (rows != null) {
            String difference = rows.delta().low() > 0 ? "bidirectional better"
                    : rows.delta().high() < 0 ? "causal better" : "no detectable effect (interval contains 0)";
            out.append(String.format(Locale.ROOT, "- %s, top-1: bidirectional %.1f vs causal %.1f, Δ %s, smallest "
                            + "detectable ±%.1f: %s%n", rows.task(), rows.bidirectional().value(),
                    rows.causal().value(), rows.delta().formatSigned(), rows.delta().halfWidth(), difference));
        } else {
            out.append("- image rows: not both twins finished\n");
        }
        out.append(future == null ? "Verdict: not enough finished runs to judge.\n"
                : clearly ? "Verdict: bidirectional clearly beats causal on future context.\n"
                : "Verdict: bidirectional does NOT clearly beat causal on future context.\n");
        return out.toString();
    }

    private static String count(SeedSummary g) {
        return String.format(Locale.ROOT, "%,d", g.first().paramCount());
    }

    private static String accuracy(SeedSummary g) {
        Estimate e = g.top1Pooled();
        return e == null ? "diverged" : String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", e.value(), e.low(), e.high());
    }
}
