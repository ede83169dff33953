package org.zoobench.experiments.suites;

import org.zoobench.UserInputException;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.report.SeedSummary;
import org.zoobench.experiments.results.Augmentation;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.suites.SuiteOptions.DataChoice;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The zoo's families side by side on one data set (Fashion-MNIST unless told otherwise), each trained with its
 * family's recipe (docs/recipes.md) until its test top-1 stops rising, on the same training and test examples and
 * seeds; --quick gives every net the same training seconds instead. Each net reads the images at
 * the smallest input it takes: LeNet-5 and the mini AlexNet at the data's own size (at most 32x32); the ImageNet
 * nets (GoogLeNet, ResNet-18, DenseNet-121, which infer their first layer from the input) at 32x32, zero-padded
 * if smaller, the least DenseNet-121's five halvings allow; the BiLSTM reads each image as a sequence of its rows.
 */
public final class ArchitecturesSuite extends Suite {

    public static final String NAME = "architectures";

    /** How a net reads the data set's images. */
    enum Placement {
        /** At the data's own size, or 32x32 if larger (the small nets' stems). */
        OWN_SIZE,
        /** At 32x32, zero-padded if smaller (the ImageNet nets' smallest workable input). */
        PADDED_32,
        /** One image row per step. */
        ROWS
    }

    /** One net of the comparison: registry name, how it reads the images, and its family's full recipe. */
    record Contender(String label, String model, Placement placement, Recipe full) {
        String group(InputShape input) {
            return String.format(Locale.ROOT, "%s (%s, %s)", label, model, input);
        }

        /** This net on {@code data}, read the way its placement says. */
        Recipe.Net net(DataChoice data, long publishedParams) {
            if (!(data.shape() instanceof InputShape.Image shape)) {
                throw new UserInputException(NAME + " trains on images, not sequences (" + data.shape() + ")");
            }
            return switch (placement) {
                case OWN_SIZE -> net(data, data.name(), AlexNetAblationSuite.miniInput(shape), ResizeMode.BILINEAR,
                        publishedParams);
                case PADDED_32 -> net(data, data.name(), InputShape.image(shape.channels(), 32, 32),
                        shape.height() <= 32 && shape.width() <= 32 ? ResizeMode.PAD : ResizeMode.BILINEAR,
                        publishedParams);
                case ROWS -> net(data, data.name() + Datasets.ROWS_SUFFIX,
                        InputShape.sequence(shape.channels() * shape.width(), shape.height()), ResizeMode.BILINEAR,
                        publishedParams);
            };
        }

        private Recipe.Net net(DataChoice data, String dataset, InputShape input, ResizeMode resize,
                               long publishedParams) {
            return new Recipe.Net(group(input), model, dataset, input, resize, data.classes(),
                    publishedParams);
        }
    }

    /**
     * Each family's recipe adapted from its paper (docs/recipes.md says how each differs): the small nets and the
     * BiLSTM with Adam on whole images; the ImageNet families with momentum SGD, weight decay, and the padded
     * crops and flips their 32x32 versions are trained with.
     */
    static final List<Contender> CONTENDERS = List.of(
            new Contender("LeNet-5", "lenet5", Placement.OWN_SIZE,
                    Recipe.untilConverged(Updater.ADAM, 1e-3, 0, 10, 15)),
            new Contender("AlexNet", "alexnet-mini", Placement.OWN_SIZE,
                    Recipe.untilConverged(Updater.NESTEROVS, 0.01, 5e-4, 15, 22)
                            .withAugmentation(Augmentation.CROPS_AND_FLIPS)),
            new Contender("GoogLeNet", "googlenet", Placement.PADDED_32,
                    Recipe.untilConverged(Updater.NESTEROVS, 0.01, 2e-4, 15, 22)
                            .withAugmentation(Augmentation.CROPS_AND_FLIPS)),
            new Contender("ResNet-18", "resnet18", Placement.PADDED_32,
                    Recipe.untilConverged(Updater.NESTEROVS, 0.1, 1e-4, 15, 22)
                            .withAugmentation(Augmentation.CROPS_AND_FLIPS)),
            new Contender("DenseNet-121", "densenet121", Placement.PADDED_32,
                    Recipe.untilConverged(Updater.NESTEROVS, 0.1, 1e-4, 15, 22)
                            .withAugmentation(Augmentation.CROPS_AND_FLIPS)),
            new Contender("BiLSTM", "bilstm-max", Placement.ROWS,
                    Recipe.untilConverged(Updater.ADAM, 1e-3, 0, 10, 15)));

    /**
     * --quick: every net gets the same training seconds of its own recipe's first phase, evaluated 4 times on 2,000
     * test images. Six nets at 100 s each, with calibration and evaluation, fit in 15 minutes on two cores
     * (docs/suite-budgets.md); the small nets see many epochs' worth in it, the ImageNet nets a fraction of one.
     */
    static final double QUICK_SECONDS = 100;
    static final double QUICK_TARGET = 85;

    /** The recipe {@code c} trains with: its family's, or that recipe's quick first phase. */
    static Recipe recipe(Contender c, boolean quick) {
        return quick ? c.full().quickFirstPhase(QUICK_SECONDS, QUICK_TARGET) : c.full();
    }

    public ArchitecturesSuite() {
        super(NAME, "LeNet-5, AlexNet, GoogLeNet, ResNet-18, DenseNet-121 and a BiLSTM on one data set, each with "
                + "its family's recipe");
    }

    @Override
    public SuitePlan plan(SuiteOptions options) {
        options.requireMiniScaleOwnInput(NAME);
        DataChoice data = options.data();
        List<RunSpec> runs = new ArrayList<>();
        Map<Placement, String> inputs = new LinkedHashMap<>();
        List<String> recipes = new ArrayList<>();
        List<String> published = new ArrayList<>();
        int seeds = 0;
        for (Contender c : CONTENDERS) {
            ModelEntry entry = ModelRegistry.get(c.model());
            // Params at the published config, for the nets whose default is not the class count trained here.
            Recipe.Net net = c.net(data, entry.defaultClasses() == data.classes() ? 0
                    : Recipe.Net.publishedParams(entry));
            Recipe r = recipe(c, options.quick());
            runs.addAll(r.runs(NAME, List.of(net), Bootstrap.DEFAULT_SAMPLES));
            seeds = Math.max(seeds, c.full().seeds());
            inputs.put(c.placement(), net.input() + " (" + net.resize() + ")");
            recipes.add(c.label() + ": " + r.describe());
            if (net.publishedParams() > 0) {
                published.add(String.format(Locale.ROOT, "%s %,d", net.model(), net.publishedParams()));
            }
        }
        runs = bySeed(runs);
        String recipe = String.format(Locale.ROOT, "%s; the same examples and seeds for every net, each with its "
                + "family's recipe (docs/recipes.md). Images standardised by the training set's mean and std; the "
                + "BiLSTM reads the same images row by row, pixels in [0, 1] (%s%s). %s", data.describe(), data.name(),
                Datasets.ROWS_SUFFIX, String.join(". ", recipes));
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Deviation from the papers: %s (%s, %d classes) instead of ImageNet. "
                        + "GoogLeNet, ResNet-18 and DenseNet-121 are the published topologies (ImageNet stems) at input "
                        + "%s; LeNet-5 and AlexNet at %s, AlexNet as alexnet-mini (%s); the BiLSTM at %s steps. "
                        + "Parameters at the published 3x224x224, 1000-class config: %s.", data.name(), data.shape(),
                data.classes(), inputs.get(Placement.PADDED_32), inputs.get(Placement.OWN_SIZE),
                ModelRegistry.get("alexnet-mini").description(), inputs.get(Placement.ROWS),
                published.isEmpty() ? "the same as trained" : String.join(", ", published)));
        if (options.quick()) {
            notes.add(String.format(Locale.ROOT, "--quick cuts: %.0f s of training per net instead of training "
                    + "until test top-1 stops rising (at most %d epochs), each net's starting rate without its "
                    + "schedule, %,d instead of all test images, 1 seed instead of %d. What it can show: the "
                    + "ranking at equal training time on this machine, and which nets reach %.0f%% test top-1 "
                    + "soonest, with intervals on %,d test images. What it cannot: the ranking at convergence, which "
                    + "is a different question (a net that is slow per image ranks low here and may rank high "
                    + "there).", QUICK_SECONDS, CONTENDERS.get(0).full().epochs(), Recipe.QUICK_TEST_LIMIT, seeds,
                    QUICK_TARGET, Recipe.QUICK_TEST_LIMIT));
        }
        return new SuitePlan(runs, recipe, notes);
    }

    /** Runs seed by seed (every net's first seed before any net's second), as suites order them. */
    private static List<RunSpec> bySeed(List<RunSpec> runs) {
        return runs.stream().sorted(Comparator.comparingLong((RunSpec r) -> r.config().seed())).toList();
    }

    /**
     * The ranking by top-1, and for every adjacent pair whether its difference is detectable: the paired interval
     * (the same test images) of the higher net's lead above 0. An interval's half-width is the smallest lead these
     * runs could detect.
     */
    static String ranking(List<SeedSummary> groups) {
        List<SeedSummary> ranked = groups.stream().filter(g -> g.top1Pooled() != null)
                .sorted(Comparator.comparingDouble((SeedSummary g) -> g.top1Pooled().value()).reversed()).toList();
        if (ranked.size() < 2) {
            return "Ranking: fewer than two finished nets.\n";
        }
        Bootstrap paired = ResultsReport.pairedBootstrap(groups.stream().flatMap(g -> g.runs().stream()).toList());
        List<Estimate> leads = new ArrayList<>();
        for (int i = 0; i + 1 < ranked.size(); i++) {
            leads.add(ResultsReport.pairedDelta(ranked.get(i), ranked.get(i + 1), paired));
        }
        SeedSummary best = ranked.get(0);
        SeedSummary next = ranked.get(1);
        Estimate lead = leads.get(0);
        boolean clearly = lead.low() > 0;
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "Ranking by top-1: %s. Most accurate: %s, "
                        + "%s ahead of %s (paired Δ %s, smallest detectable ±%.1f%s).%n",
                ranked.stream().map(g -> g.first().model()).collect(Collectors.joining(" > ")),
                best.group(), clearly ? "clearly" : "not clearly", next.group(), lead.formatSigned(), lead.halfWidth(),
                clearly ? "" : ": no detectable difference"));
        out.append("Each adjacent pair (paired Δ top-1 [95% CI]):\n");
        for (int i = 0; i < leads.size(); i++) {
            Estimate d = leads.get(i);
            out.append(String.format(Locale.ROOT, "- %s > %s: %s, %s%n", ranked.get(i).first().model(),
                    ranked.get(i + 1).first().model(), d.formatSigned(), d.low() > 0 ? "detectable"
                            : String.format(Locale.ROOT, "no detectable difference (smallest detectable ±%.1f)",
                            d.halfWidth())));
        }
        return out.toString();
    }

    @Override
    public Report report(ResultsStore store, List<RunRecord> records) {
        List<SeedSummary> groups = ResultsReport.summarise(store, records, RunRecord::group);
        StringBuilder out = new StringBuilder(ResultsReport.runsTable(groups)).append('\n');
        out.append(ResultsReport.legend(records));
        out.append("params and MACs at the trained input (per example; the BiLSTM's per sequence of 28 steps); "
                + "img/s counts images (sequences for the BiLSTM).\n");
        out.append(Convergence.summary(records));
        double seconds = records.stream().mapToDouble(r -> r.config().trainSeconds()).max().orElse(0);
        if (seconds > 0) {
            out.append(String.format(Locale.ROOT, "At equal training time (%.0f s per net), not at convergence:%n",
                    seconds));
        } else if (!Convergence.allConverged(records)) {
            out.append("Not every net has stopped rising (above): its place below may still change with training.\n");
        }
        out.append(ranking(groups));
        return new Report(out.toString(), ResultsReport.plots(groups, records.isEmpty() ? "architectures: "
                : "architectures (" + records.get(0).config().dataset() + ", "
                + (seconds > 0 ? String.format(Locale.ROOT, "%.0f s each", seconds) : "each family's recipe")
                + "): "));
    }
}
