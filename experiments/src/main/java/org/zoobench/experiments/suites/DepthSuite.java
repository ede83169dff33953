package org.zoobench.experiments.suites;

import org.zoobench.experiments.report.Figure;
import org.zoobench.experiments.report.MarkdownTable;
import org.zoobench.experiments.report.Plots;
import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.report.SeedSummary;
import org.zoobench.experiments.results.Augmentation;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.RunData;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.suites.SuiteOptions.DataChoice;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.zoobench.UserInputException;

/**
 * He et al. (2015), section 4.2: plain and residual CIFAR-style nets at 20 and 56 layers. The observation to
 * check: the deeper plain net has the higher training error (degradation), and shortcuts remove it.
 * The data set (Fashion-MNIST unless told otherwise) reaches the nets at 32x32, zero-padded if smaller, in its own
 * channels (the nets infer their first layer's input channels).
 */
public final class DepthSuite extends Suite {

    public static final String NAME = "depth";
    /** The CIFAR-10 size the nets were designed for. */
    static final int SIDE = 32;
    /** He et al.'s shallower and deeper residual nets; each is compared with its registered plain twin. */
    static final String SHALLOW = "resnet20";
    static final String DEEP = "resnet56";
    static final String SHALLOW_PLAIN = ModelRegistry.get(SHALLOW).twin();
    static final String DEEP_PLAIN = ModelRegistry.get(DEEP).twin();
    static final List<String> MODELS = List.of(SHALLOW_PLAIN, DEEP_PLAIN, SHALLOW, DEEP);

    static final int BOOTSTRAP_SAMPLES = 1000;

    /**
     * He et al.'s CIFAR recipe adapted (docs/recipes.md): SGD with momentum 0.9 (DL4J's is Nesterov's), lr 0.1
     * divided by 10 twice, weight decay 1e-4, batch 128, 4-pixel padded crops and flips, all images, 2 seeds. He
     * et al. divide at 50% and 75% of 182 epochs; here after 12 and 18, then train until test top-1 stops rising
     * (two epochs within 0.3 points), 30 epochs at most. The target is DAWNBench's 90%.
     */
    static final Recipe FULL = Recipe.untilConverged(Updater.NESTEROVS, 0.1, 1e-4, 12, 18)
            .withAugmentation(Augmentation.CROPS_AND_FLIPS);
    /**
     * The full recipe's first phase (its updater, rate, weight decay, crops and flips) for the same training time
     * per net, evaluated 4 times on 2,000 test images: the nets compared at equal seconds, as they start. Four nets
     * at 150 s each, with calibration and evaluation, fit in 15 minutes on two cores (docs/suite-budgets.md).
     */
    static final Recipe QUICK = FULL.quickFirstPhase(150, 80);

    public DepthSuite() {
        super(NAME, "plain vs residual nets at 20 and 56 layers (He et al. 2015, CIFAR-style) at 32x32");
    }

    @Override
    public SuitePlan plan(SuiteOptions options) {
        options.requireMiniScaleOwnInput(NAME);
        Recipe r = options.quick() ? QUICK : FULL;
        DataChoice data = options.data();
        if (!(data.shape() instanceof InputShape.Image shape)) {
            throw new UserInputException(NAME + " trains on images, not sequences (" + data.shape() + ")");
        }
        InputShape input = InputShape.image(shape.channels(), SIDE, SIDE);
        boolean pad = shape.height() <= SIDE && shape.width() <= SIDE;
        ResizeMode resize = pad ? ResizeMode.PAD : ResizeMode.BILINEAR;
        List<Recipe.Net> nets = MODELS.stream()
                .map(model -> new Recipe.Net(model, model, data.name(), input, resize, data.classes(), 0)).toList();
        List<RunSpec> runs = r.runs(NAME, nets, BOOTSTRAP_SAMPLES);
        String recipe = String.format(Locale.ROOT, "%s %s to %s, %s; the same recipe for all four nets",
                data.describe(), pad ? "zero-padded" : "resized", input, r.describe());
        List<String> notes = new ArrayList<>();
        notes.add(PaperSetup.HE_CIFAR.note(runs.get(0).config()));
        if (options.quick()) {
            notes.add(String.format(Locale.ROOT, "--quick cuts: %s. What it can show: which nets train faster in "
                    + "their first %.0f seconds of the full recipe (training error and time to %.0f%% test top-1 at "
                    + "equal training time). What it cannot: He et al.'s claims, which are about training error at "
                    + "convergence; early in training a deeper or plain net can be ahead of a shallower or residual "
                    + "one and fall behind later, so the quick report prints no verdict on them.",
                    r.cutsFrom(FULL), r.trainSeconds(), r.target()));
        }
        return new SuitePlan(runs, recipe, notes);
    }

    @Override
    public Report report(ResultsStore store, List<RunRecord> records) {
        List<SeedSummary> groups = ResultsReport.summarise(store, records, RunRecord::model);
        StringBuilder out = new StringBuilder(ResultsReport.runsTable(groups)).append('\n');
        out.append(ResultsReport.legend(records)).append('\n');
        Map<String, TrainingError> trainError = groups.stream().filter(g -> g.finished() > 0)
                .collect(Collectors.toMap(SeedSummary::group, DepthSuite::finalTrainingError));
        boolean wholeSet = !trainError.isEmpty() && trainError.values().stream().allMatch(TrainingError::wholeSet);
        out.append(String.format(Locale.ROOT, "Final training error (%%, mean over seeds, %s): ", wholeSet
                        ? "on every training image, no crops or flips"
                        : "on a fixed " + trainingSample(records.get(0)) + "-image training sample"))
                .append(MODELS.stream().filter(trainError::containsKey)
                        .map(m -> String.format(Locale.ROOT, wholeSet ? "%s %.2f" : "%s %.1f", m,
                                trainError.get(m).percent()))
                        .collect(Collectors.joining(", "))).append('\n');
        if (!wholeSet && trainError.values().stream().anyMatch(TrainingError::wholeSet)) {
            out.append("(Some runs were saved before the whole training set was measured and their models are "
                    + "gone: these errors, and the claims on those nets, are on the sample.)\n");
        }
        out.append(Convergence.summary(records));
        out.append(verdicts(groups, trainError));
        out.append('\n').append(trainingErrorTable(groups));
        out.append('\n').append(testErrorTable(groups));
        List<Figure> figures = new ArrayList<>(ResultsReport.plots(groups, records.isEmpty()
                ? "plain vs residual depth: " : String.format(Locale.ROOT, "plain vs residual depth (%s, %s): ",
                records.get(0).config().dataset(), records.get(0).config().input())));
        figures.add(Plots.trainingCurves(groups, "training error per epoch (He et al. 2015, Fig. 6 style)",
                "training error (%)", e -> 100 - e.trainAccuracy(), "curves_train_error.png"));
        return new Report(out.toString(), figures);
    }

    /**
     * One of He et al.'s claims, in words, as a pair of nets: {@code higher}'s training error is above
     * {@code lower}'s.
     */
    record Claim(String words, String higher, String lower) {
    }

    private static final List<Claim> CLAIMS = List.of(
            new Claim(String.format(Locale.ROOT, "deeper plain net trains worse (%s > %s)", DEEP_PLAIN,
                    SHALLOW_PLAIN), DEEP_PLAIN, SHALLOW_PLAIN),
            new Claim(String.format(Locale.ROOT, "shortcuts remove it (%s < %s)", DEEP, DEEP_PLAIN), DEEP_PLAIN, DEEP),
            new Claim(String.format(Locale.ROOT, "the deeper residual net trains better (%s < %s)", DEEP, SHALLOW),
                    SHALLOW, DEEP));

    /**
     * A verdict on each claim whose two nets were both trained until converged (a suite in progress judges the
     * pairs it has), on the whole training set where both nets have it, else both on the sample; the others say
     * what they wait for. The claims concern training error at convergence, so a run without the stopping rule
     * judges none.
     */
    static String verdicts(List<SeedSummary> groups, Map<String, TrainingError> trainError) {
        Map<String, SeedSummary> nets = groups.stream().filter(g -> trainError.containsKey(g.group()))
                .collect(Collectors.toMap(SeedSummary::group, g -> g));
        if (nets.isEmpty()) {
            return "";
        }
        if (nets.values().stream().noneMatch(g -> Convergence.allConverged(g.runs()))) {
            return "No verdict on He et al.'s claims: they concern training error at convergence, and no run here "
                    + "was trained until its test top-1 stopped rising (see above).\n";
        }
        StringBuilder out = new StringBuilder();
        for (Claim c : CLAIMS) {
            List<String> waiting = Stream.of(c.higher(), c.lower())
                    .filter(m -> !nets.containsKey(m) || !Convergence.allConverged(nets.get(m).runs())).toList();
            if (!waiting.isEmpty()) {
                out.append(String.format(Locale.ROOT, "- %s: not judged yet, %s not trained until converged%n",
                        c.words(), String.join(" and ", waiting)));
                continue;
            }
            TrainingError higher = trainError.get(c.higher());
            TrainingError lower = trainError.get(c.lower());
            boolean wholeSet = higher.wholeSet() && lower.wholeSet();
            out.append(claim(c, wholeSet ? higher : higher.onSample(), wholeSet ? lower : lower.onSample()));
        }
        return out.toString();
    }

    /** He et al. (2015) Table 6, CIFAR-10 test error (%) of the residual nets compared here. */
    static final Map<String, Double> HE_TEST_ERRORS = Map.of(SHALLOW, 8.75, DEEP, 6.97);

    /** Test error of every net (seed mean) beside He et al.'s on CIFAR-10, who tabulate their residual nets only. */
    static String testErrorTable(List<SeedSummary> groups) {
        MarkdownTable table = new MarkdownTable("net", ">test error % (mean over seeds)", ">He et al. Table 6, CIFAR-10");
        for (String m : MODELS) {
            groups.stream().filter(g -> g.group().equals(m) && g.top1Pooled() != null).findFirst()
                    .ifPresent(g -> table.row(m, String.format(Locale.ROOT, "%.2f", 100 - g.top1Mean()),
                            HE_TEST_ERRORS.containsKey(m) ? String.format(Locale.ROOT, "%.2f", HE_TEST_ERRORS.get(m))
                                    : "— (Fig. 6 only)"));
        }
        return "Test error beside He et al.'s (their data is CIFAR-10: the numbers set a scale, not a target):\n\n"
                + table;
    }

    /**
     * Training error per epoch (mean over seeds), one column per net: He et al.'s Figure 6 as numbers. Under a
     * time budget an "epoch" is an equal share of the training time.
     */
    static String trainingErrorTable(List<SeedSummary> groups) {
        List<SeedSummary> nets = MODELS.stream().flatMap(m -> groups.stream().filter(g -> g.group().equals(m)))
                .filter(g -> g.finished() > 0).toList();
        int epochs = nets.stream().flatMap(g -> g.runs().stream()).mapToInt(r -> r.epochs().size()).max().orElse(0);
        if (epochs == 0) {
            return "";
        }
        double budget = nets.get(0).first().config().trainSeconds();
        List<String> columns = new ArrayList<>(List.of(budget > 0 ? ">evaluation" : ">epoch"));
        nets.forEach(g -> columns.add(">" + g.group()));
        MarkdownTable table = new MarkdownTable(columns.toArray(String[]::new));
        for (int e = 0; e < epochs; e++) {
            int index = e;
            List<Object> row = new ArrayList<>(List.of(e + 1));
            for (SeedSummary g : nets) {
                double mean = g.runs().stream().filter(r -> !r.diverged() && r.epochs().size() > index)
                        .mapToDouble(r -> 100 - r.epochs().get(index).trainAccuracy()).average().orElse(Double.NaN);
                row.add(Double.isNaN(mean) ? "—" : String.format(Locale.ROOT, "%.1f", mean));
            }
            table.row(row.toArray());
        }
        String when = budget > 0 ? String.format(Locale.ROOT, "at each of %d evaluations, one every %.0f s of "
                + "training", epochs, budget / epochs) : "per epoch";
        return "Training error (%) " + when + ", mean over the seeds still training (He et al. Fig. 6):\n\n" + table;
    }

    /** Training examples the curves were measured on. */
    static int trainingSample(RunRecord r) {
        int limit = r.config().trainLimit();
        return limit == 0 ? RunData.TRAIN_SAMPLE : Math.min(limit, RunData.TRAIN_SAMPLE);
    }

    /**
     * A net's final training error in percent (mean over its seeds) and the half-width of its 95% interval:
     * measured on the whole training set where every seed's record has it ({@code wholeSet}), else on the fixed
     * training sample of the epoch curves; {@code samplePercent} is the error on that sample of
     * {@code sampleSize} examples either way; {@code seeds} runs averaged.
     */
    record TrainingError(double percent, double halfWidth, boolean wholeSet, double samplePercent, int sampleSize,
                         int seeds) {

        /** The same net compared on the training sample. */
        TrainingError onSample() {
            return new TrainingError(samplePercent, normalHalfWidth(samplePercent, sampleSize), false, samplePercent,
                    sampleSize, seeds);
        }

        String measuredOn() {
            return wholeSet ? "the whole training set" : sampleSize + " training images";
        }
    }

    /** A 95% normal interval's half-width for an error rate of {@code percent} on {@code n} examples. */
    static double normalHalfWidth(double percent, int n) {
        double p = percent / 100;
        return 100 * 1.96 * Math.sqrt(p * (1 - p) / n);
    }

    /**
     * "higher's training error exceeds lower's", with its power: the smallest difference of the two errors their
     * 95% intervals tell from none (per-example training answers are not kept, so the pairing of the shared
     * examples is not used: a conservative figure). Inside it: no detectable effect.
     */
    static String claim(Claim claim, TrainingError higher, TrainingError lower) {
        double detectable = Math.hypot(higher.halfWidth(), lower.halfWidth());
        double diff = higher.percent() - lower.percent();
        String finding = Math.abs(diff) <= detectable ? "no detectable effect" : diff > 0 ? "HOLDS" : "does NOT hold";
        // Tenths of a point resolve differences on a sample of hundreds; hundredths on a whole training set.
        int decimals = higher.wholeSet() ? 2 : 1;
        String seeds = higher.seeds() == lower.seeds()
                ? higher.seeds() + (higher.seeds() == 1 ? " seed each" : " seeds each")
                : seedCount(claim.higher(), higher) + ", " + seedCount(claim.lower(), lower);
        return String.format(Locale.ROOT, "- %s: %s (Δ training error %+." + decimals + "f points on %s, %s, "
                + "smallest detectable ±%." + decimals + "f)%n", claim.words(), finding, diff, higher.measuredOn(),
                seeds, detectable);
    }

    private static String seedCount(String net, TrainingError error) {
        return net + " " + error.seeds() + (error.seeds() == 1 ? " seed" : " seeds");
    }

    private static TrainingError finalTrainingError(SeedSummary g) {
        List<RunRecord> runs = g.runs().stream().filter(r -> !r.diverged() && !r.epochs().isEmpty()).toList();
        int n = trainingSample(g.first());
        double sample = runs.stream().mapToDouble(r -> 100 - r.epochs().get(r.epochs().size() - 1).trainAccuracy())
                .average().orElse(Double.NaN);
        if (!runs.isEmpty() && runs.stream().allMatch(r -> r.trainingSetTop1() != null)) {
            double error = runs.stream().mapToDouble(r -> 100 - r.trainingSetTop1().value()).average().orElseThrow();
            double halfWidth = runs.stream().mapToDouble(r -> r.trainingSetTop1().halfWidth()).average().orElseThrow();
            return new TrainingError(error, halfWidth, true, sample, n, runs.size());
        }
        return new TrainingError(sample, normalHalfWidth(sample, n), false, sample, n, runs.size());
    }
}
